#include "calendar/late_policy.h"

#include <cctype>
#include <cstdint>

namespace herald::calendar {
namespace {

constexpr std::string_view kPrefix = "publish within ";
constexpr std::int64_t kMaxGraceS = 366LL * 24 * 3600;

Error Bad() {
  return Error(ErrorCode::kInvalidArgument,
               "`late` must be `skip` or `publish within` a duration such as `2h` or `30m`");
}

}  // namespace

Result<LatePolicy> ParseLatePolicy(std::string_view text) {
  if (text == "skip") return LatePolicy{};
  if (text.substr(0, kPrefix.size()) != kPrefix) return Bad();
  std::string_view d = text.substr(kPrefix.size());
  if (d.empty()) return Bad();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < d.size()) {
    std::int64_t n = 0;
    std::size_t digits = 0;
    while (i < d.size() && std::isdigit(static_cast<unsigned char>(d[i])) && digits < 9) {
      n = n * 10 + (d[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || i >= d.size()) return Bad();
    switch (d[i]) {
      case 's':
        total += n;
        break;
      case 'm':
        total += n * 60;
        break;
      case 'h':
        total += n * 3600;
        break;
      case 'd':
        total += n * 86400;
        break;
      default:
        return Bad();
    }
    ++i;
    if (total > kMaxGraceS) {
      return Error(ErrorCode::kInvalidArgument, "`late` grace may be at most 366 days");
    }
  }
  if (total == 0) return Bad();
  return LatePolicy{false, std::chrono::seconds(total)};
}

std::string ToString(const LatePolicy& policy) {
  if (policy.skip) return "skip";
  std::int64_t s = policy.grace.count();
  std::string out = "publish within ";
  const std::pair<std::int64_t, char> units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (const auto& [size, unit] : units) {
    if (s >= size) {
      out += std::to_string(s / size) + unit;
      s %= size;
    }
  }
  return out;
}

}  // namespace herald::calendar
