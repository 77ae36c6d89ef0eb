#include "calendar/text_stats.h"

#include <cctype>

namespace herald::calendar {

namespace {

bool WordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

}  // namespace

TextStats StatsOf(std::string_view s) {
  TextStats t;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++t.cp;
    if (c == '#') ++t.hashes;
    if (c == '@') ++t.ats;
  }
  return t;
}

std::size_t CountTags(std::string_view s, char sigil) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == sigil && WordChar(static_cast<unsigned char>(s[i + 1])) &&
        (i == 0 || !WordChar(static_cast<unsigned char>(s[i - 1])))) {
      ++n;
    }
  }
  return n;
}

}  // namespace herald::calendar
