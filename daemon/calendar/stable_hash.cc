#include "calendar/stable_hash.h"

namespace herald::calendar {

void StableHash::Bytes(const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    h_ ^= p[i];
    h_ *= 1099511628211ull;
  }
}

StableHash& StableHash::Add(std::string_view field) {
  // Length prefix (little-endian, fixed width) so ("ab","c") != ("a","bc").
  Add(static_cast<std::int64_t>(field.size()));
  Bytes(field.data(), field.size());
  return *this;
}

StableHash& StableHash::Add(std::int64_t number) {
  unsigned char b[8];
  auto u = static_cast<std::uint64_t>(number);
  for (unsigned char& c : b) {
    c = static_cast<unsigned char>(u & 0xFF);
    u >>= 8;
  }
  Bytes(b, sizeof b);
  return *this;
}

std::string StableHash::Hex() const {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  std::uint64_t v = h_;
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    v >>= 4;
  }
  return out;
}

}  // namespace herald::calendar
