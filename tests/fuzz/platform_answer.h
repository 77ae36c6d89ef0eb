// The connectors' fuzz targets read an input as a platform's answer, written
// as an HTTP response without its "HTTP/1.1" prefix: a status line of
// digits, header lines, a blank line, the body. Seeds are answers the
// platforms document (tests/fuzz/corpus/*_answers/).
#pragma once

#include <herald/plugin.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace herald::fuzz {

inline herald::Response PlatformAnswer(std::string_view text) {
  herald::Response r;
  const std::size_t eol = text.find('\n');
  std::string_view status = text.substr(0, eol);
  text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  for (char c : status) {
    if (c < '0' || c > '9' || r.status > 9999) break;
    r.status = r.status * 10 + (c - '0');
  }
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    r.headers.append(line).append("\r\n");
  }
  r.body = std::string(text);
  return r;
}

}  // namespace herald::fuzz
