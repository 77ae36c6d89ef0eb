#include "common/json_util.h"

#include <cstdio>
#include <ctime>
#include <exception>

namespace herald::connectors {

std::optional<web::json::value> ParseJson(std::string_view body) {
  std::error_code error;
  web::json::value v = web::json::value::parse(std::string(body), error);
  if (error) return std::nullopt;
  return v;
}

const web::json::value* JsonField(const web::json::value& v, const char* key) {
  if (!v.is_object()) return nullptr;
  const auto& object = v.as_object();
  auto it = object.find(key);
  if (it == object.end()) return nullptr;
  return &it->second;
}

std::string JsonString(const web::json::value& v, const char* key) {
  const web::json::value* f = JsonField(v, key);
  if (!f) return {};
  if (f->is_string()) return f->as_string();
  if (f->is_number() && f->as_number().is_int64()) return std::to_string(f->as_number().to_int64());
  return {};
}

int64_t JsonInt(const web::json::value& v, const char* key, int64_t fallback) {
  const web::json::value* f = JsonField(v, key);
  if (!f) return fallback;
  if (f->is_number()) {
    if (f->as_number().is_int64()) return f->as_number().to_int64();
    // A fraction is truncated; a number no int64 holds (1e87, NaN) is as
    // unreadable as text, not a value to convert (that is undefined).
    const double d = f->as_double();
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return fallback;
    return static_cast<int64_t>(d);
  }
  if (f->is_string()) {
    const std::string& s = f->as_string();
    if (s.empty() || s.size() > 18) return fallback;
    int64_t out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return fallback;
      out = out * 10 + (c - '0');
    }
    return out;
  }
  return fallback;
}

std::optional<int64_t> ParseIsoTimeMs(std::string_view text) {
  std::string s(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(static_cast<size_t>(consumed));
  int64_t millis = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 3) millis = millis * 10 + (rest.front() - '0');
      ++digits;
      rest.remove_prefix(1);
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  int64_t offset_s = 0;
  if (rest == "Z" || rest == "+0000" || rest == "+00:00") {
    offset_s = 0;
  } else if (rest.size() >= 5 && (rest[0] == '+' || rest[0] == '-')) {
    int oh = 0, om = 0;
    std::string r(rest.substr(1));
    if (std::sscanf(r.c_str(), "%2d:%2d", &oh, &om) != 2 &&
        std::sscanf(r.c_str(), "%2d%2d", &oh, &om) != 2) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (rest[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  int64_t seconds = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return seconds * 1000 + millis;
}

}  // namespace herald::connectors
