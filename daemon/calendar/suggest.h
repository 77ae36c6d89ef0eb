// Suggest: "did you mean" for a misspelt key, account, audience or post
// kind: the nearest candidate by edit distance, when one is close enough to
// be what was meant. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace herald::calendar {

// "; did you mean `text`?" or "" when nothing is close.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace herald::calendar
