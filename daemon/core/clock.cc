#include "core/clock.h"

#include <charconv>
#include <cstring>

namespace herald::core {

Result<int64_t> ParseTestClockOffset(const char* value) {
  if (!value || !*value) return int64_t{0};
  int64_t offset = 0;
  const char* end = value + std::strlen(value);
  auto [ptr, ec] = std::from_chars(value, end, offset);
  if (ec != std::errc() || ptr != end) {
    return Error(ErrorCode::kInvalidArgument, std::string("HERALD_TEST_CLOCK_OFFSET_MS='") + value +
                                                  "' is not a whole number of milliseconds");
  }
  return offset;
}

}  // namespace herald::core
