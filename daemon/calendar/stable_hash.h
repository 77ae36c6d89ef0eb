// StableHash: a 64-bit FNV-1a over length-prefixed fields, printed as 16 hex
// digits. Stable across runs, builds and machines (job ids are persisted).
// Not cryptographic. Plain value; one instance per thread.
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
  void Bytes(const void* data, std::size_t n);
  std::uint64_t h_ = 14695981039346656037ull;
};

}  // namespace herald::calendar
