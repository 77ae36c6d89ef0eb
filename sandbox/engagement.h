// Engagement growth: the likes, comments, shares and views a published post
// has gathered at a given time. Pure functions of the configuration, the
// seed, the post id and the elapsed time, so a run under the same --seed
// reports the same numbers at the same ages. Safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "sandbox/clock.h"
#include "sandbox/config.h"

namespace herald::sandbox {

struct Engagement {
  int64_t likes = 0;
  int64_t comments = 0;
  int64_t shares = 0;
  int64_t views = 0;
  int64_t reach = 0;
  int64_t saved = 0;
};

Engagement EngagementAt(const SandboxConfig& config, const std::string& post_id,
                        TimePoint published, TimePoint now);

}  // namespace herald::sandbox
