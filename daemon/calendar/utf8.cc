#include "calendar/utf8.h"

#include <cstdint>
#include <cstdio>

namespace herald::calendar {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 when it is invalid.
std::size_t ValidSequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;  // overlong
    if (b == 0xED) hi = 0x9F;  // surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;  // overlong
    if (b == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// Windows-1252's characters at 0x80-0x9F (0 where it has none); Latin-1
// above. The likely meaning of a stray byte, so the marketer can find it.
constexpr std::uint16_t kCp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string Encode(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

std::vector<Utf8Error> InvalidUtf8(std::string_view text, std::size_t max) {
  std::vector<Utf8Error> out;
  LineCol at;
  int reported_line = 0;
  for (std::size_t i = 0; i < text.size() && out.size() < max;) {
    const std::size_t n = ValidSequence(text, i);
    if (n == 0 && reported_line != at.line) {
      out.push_back({i, at});
      reported_line = at.line;
    }
    if (text[i] == '\n') {
      ++at.line;
      at.col = 1;
    } else {
      ++at.col;
    }
    i += n == 0 ? 1 : n;
  }
  return out;
}

std::string RepairUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = ValidSequence(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text, i, n);
      i += n;
    }
  }
  return out;
}

std::size_t CodePoints(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

LineCol LineColAt(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  LineCol at;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      line_start = i + 1;
    }
  }
  at.col = static_cast<int>(CodePoints(text.substr(line_start, offset - line_start))) + 1;
  return at;
}

std::string WhyNotUtf8(std::string_view text, std::size_t offset) {
  if (text.size() >= 2 &&
      ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    return "the file is saved as UTF-16; save it as UTF-8";
  }
  const unsigned char b = static_cast<unsigned char>(text[offset]);
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", b);
  std::string out = std::string("byte ") + hex + " is not UTF-8 text";
  std::uint32_t cp = 0;
  if (b >= 0xA0) {
    cp = b;
  } else if (b >= 0x80) {
    cp = kCp1252[b - 0x80];
  }
  if (cp != 0) out += " (in Windows-1252 or Latin-1 it is `" + Encode(cp) + "`)";
  return out + "; save the file as UTF-8";
}

}  // namespace herald::calendar
