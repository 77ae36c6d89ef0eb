// LatePolicy: what to do with a post whose time has passed when it is loaded
// (or when the daemon was down): skip it (the default), or publish it late if
// no more than `grace` has passed. Plain value; any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace herald::calendar {

struct LatePolicy {
  bool skip = true;
  std::chrono::seconds grace{0};  // meaningful when !skip

  bool operator==(const LatePolicy&) const = default;
};

// Parses "skip" or "publish within 2h" (units s, m, h, d; combinations such as
// "1h30m"). Errors are plain sentences for marketers.
Result<LatePolicy> ParseLatePolicy(std::string_view text);

// "skip" or "publish within 2h30m".
std::string ToString(const LatePolicy& policy);

}  // namespace herald::calendar
