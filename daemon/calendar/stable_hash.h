// StableHash: a 64-bit hash over length-prefixed fields, printed as 16 hex
// digits. Words are read little-endian on every machine and mixed with fixed
// constants, so a value never changes across runs, builds or machines (job
// ids are persisted). Not cryptographic. Plain value; one instance per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace herald::calendar {

class StableHash {
 public:
  StableHash& Add(std::string_view field);
  StableHash& Add(std::int64_t number);
  std::string Hex() const;

 private:
  void Word(std::uint64_t w);
  std::uint64_t h_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace herald::calendar
