// TextStats: what the platforms count in a text (code points, '#' and '@'),
// read from literal text and values to bound a rendered length before
// rendering; CountTags: the hashtags or mentions a rendered text holds. Pure
// functions; any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace herald::calendar {

struct TextStats {
  std::size_t cp = 0;      // code points (UTF-8 lead bytes)
  std::size_t hashes = 0;  // '#' characters
  std::size_t ats = 0;     // '@' characters
};

TextStats StatsOf(std::string_view s);

// Hashtags (#word) or mentions (@word) in rendered text.
std::size_t CountTags(std::string_view s, char sigil);

}  // namespace herald::calendar
