// Suggest: "did you mean" for a misspelt key, account, audience or post
// kind: the nearest candidate by edit distance, when one is close enough to
// be what was meant. Pure functions; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace herald::calendar {

// Levenshtein distance: insertions, deletions and substitutions of bytes.
std::size_t EditDistance(std::string_view a, std::string_view b);

// "; did you mean `text`?" or "" when nothing is close.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);

// The candidate a Suggest() answer names ("text"), or "" for "".
std::string SuggestedWord(std::string_view suggestion);

}  // namespace herald::calendar
