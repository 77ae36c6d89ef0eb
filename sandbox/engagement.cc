#include "sandbox/engagement.h"

#include <cmath>

namespace herald::sandbox {

namespace {

uint64_t Fnv1a(uint64_t seed, const std::string& text) {
  uint64_t hash = 1469598103934665603ULL ^ seed;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

// A per-post, per-metric factor in [0.5, 1.5): some posts do better than others.
double Factor(uint64_t seed, const std::string& post_id, const char* metric) {
  return 0.5 + static_cast<double>(Fnv1a(seed, post_id + "/" + metric) % 1000) / 1000.0;
}

int64_t Grow(double per_minute, double minutes, double factor) {
  return static_cast<int64_t>(std::floor(per_minute * minutes * factor));
}

}  // namespace

Engagement EngagementAt(const SandboxConfig& config, const std::string& post_id,
                        TimePoint published, TimePoint now) {
  Engagement e;
  if (now <= published) return e;
  double minutes = std::chrono::duration<double, std::ratio<60>>(now - published).count();
  e.likes = Grow(config.likes_per_minute, minutes, Factor(config.seed, post_id, "likes"));
  e.comments = Grow(config.comments_per_minute, minutes, Factor(config.seed, post_id, "comments"));
  e.shares = Grow(config.shares_per_minute, minutes, Factor(config.seed, post_id, "shares"));
  e.views = Grow(config.views_per_minute, minutes, Factor(config.seed, post_id, "views"));
  e.reach = e.views + e.likes;
  e.saved = e.likes / 10;
  return e;
}

}  // namespace herald::sandbox
