// JSON reading for connectors: parse a platform's body without throwing and
// read fields with defaults, so a malformed or truncated body becomes a value
// the caller classifies (never an exception across the plugin boundary).
// Pure functions; any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::connectors {

// The parsed body, or nullopt when it is not JSON.
std::optional<web::json::value> ParseJson(std::string_view body);

// The string at `key` of object `v` ("" when absent or not a string; a number
// is given as its decimal text, since Graph ids sometimes arrive as numbers).
std::string JsonString(const web::json::value& v, const char* key);

// The integer at `key` (a number, or a string of digits as YouTube sends
// counts), or `fallback`, also for a number no int64 holds (1e87).
int64_t JsonInt(const web::json::value& v, const char* key, int64_t fallback = 0);

// The member `key` of object `v`, or nullptr.
const web::json::value* JsonField(const web::json::value& v, const char* key);

// "2026-11-25T23:05:26+0000" (Graph) or "2026-11-25T23:05:26Z" /
// "...26.123Z" (Google) as Unix ms; nullopt when malformed.
std::optional<int64_t> ParseIsoTimeMs(std::string_view text);

}  // namespace herald::connectors
