// Utf8: the checks calendars and audience files need on their bytes: where a
// text is not valid UTF-8 (a Latin-1 "é", a Windows-1252 quote), a copy with
// each bad byte replaced by U+FFFD so parsing can go on with positions
// intact, and 1-based line:column positions counted in characters (code
// points), as editors count them. Pure functions; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace herald::calendar {

struct LineCol {
  int line = 1;
  int col = 1;
};

// Where text is not valid UTF-8: the byte offset and position of the first
// byte of an invalid sequence (overlong forms, surrogates and values past
// U+10FFFF count as invalid), counting each bad byte as one character.
struct Utf8Error {
  std::size_t offset = 0;
  LineCol at;
};

// The first invalid sequence of each line, at most `max` of them.
std::vector<Utf8Error> InvalidUtf8(std::string_view text, std::size_t max);

// text with each byte of an invalid sequence replaced by U+FFFD.
std::string RepairUtf8(std::string_view text);

// Code points in text (each lead byte counts once).
std::size_t CodePoints(std::string_view text);

// The 1-based line and column (in code points) of byte `offset` of text.
LineCol LineColAt(std::string_view text, std::size_t offset);

// "the file looks like UTF-16" and similar: why text is not UTF-8, as the end
// of a sentence for a marketer ("save it as UTF-8").
std::string WhyNotUtf8(std::string_view text, std::size_t offset);

}  // namespace herald::calendar
