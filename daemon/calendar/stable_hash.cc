#include "calendar/stable_hash.h"

namespace herald::calendar {
namespace {

constexpr std::uint64_t kMul = 0xFF51AFD7ED558CCDull;

std::uint64_t LoadLe(const unsigned char* p, std::size_t n) {
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < n; ++i) w |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return w;
}

}  // namespace

void StableHash::Word(std::uint64_t w) {
  h_ = (h_ ^ w) * kMul;
  h_ ^= h_ >> 29;
}

StableHash& StableHash::Add(std::string_view field) {
  // Length first, so ("ab","c") != ("a","bc").
  Word(static_cast<std::uint64_t>(field.size()));
  const auto* p = reinterpret_cast<const unsigned char*>(field.data());
  std::size_t n = field.size();
  for (; n >= 8; n -= 8, p += 8) Word(LoadLe(p, 8));
  if (n > 0) Word(LoadLe(p, n));
  return *this;
}

StableHash& StableHash::Add(std::int64_t number) {
  Word(static_cast<std::uint64_t>(number));
  return *this;
}

std::string StableHash::Hex() const {
  // splitmix64's finalizer spreads every input bit over the output.
  std::uint64_t v = h_;
  v ^= v >> 30;
  v *= 0xBF58476D1CE4E5B9ull;
  v ^= v >> 27;
  v *= 0x94D049BB133111EBull;
  v ^= v >> 31;
  static const char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    v >>= 4;
  }
  return out;
}

}  // namespace herald::calendar
