#include "common/origin.h"

#include <algorithm>
#include <cctype>

namespace herald::connectors {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Characters an http(s) URL herald sends may hold: printable ASCII without
// the ones RFC 3986 excludes and parsers disagree about.
bool UrlChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::string_view("\\\"<>`{}|^").find(c) == std::string_view::npos;
}

int DefaultPort(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

}  // namespace

std::string Origin::Text() const {
  std::string out = scheme + "://" + host;
  if (port != DefaultPort(scheme)) out += ":" + std::to_string(port);
  return out;
}

std::optional<Origin> OriginOf(std::string_view url) {
  if (url.empty() || !std::all_of(url.begin(), url.end(), UrlChar)) return std::nullopt;
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Origin o;
  o.scheme = Lower(url.substr(0, sep));
  if (o.scheme != "http" && o.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // an IPv6 literal
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
      if (port.empty()) return std::nullopt;
    }
    if (!std::all_of(host.begin() + 1, host.end() - 1, [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return std::nullopt;
    }
  } else {
    const size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(),
                                     [](char c) { return Alnum(c) || c == '.' || c == '-'; })) {
      return std::nullopt;  // user info ('@'), escapes ('%'), or nothing
    }
  }
  o.host = Lower(host);
  if (port.empty()) {
    o.port = DefaultPort(o.scheme);
  } else {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return std::nullopt;
    }
    o.port = std::stoi(std::string(port));
    if (o.port < 1 || o.port > 65535) return std::nullopt;
  }
  return o;
}

std::optional<std::string> OnOrigin(std::string_view reference, std::string_view base) {
  const std::optional<Origin> home = OriginOf(base);
  if (!home) return std::nullopt;
  if (reference.size() >= 1 && reference.front() == '/' &&
      (reference.size() < 2 || reference[1] != '/')) {
    if (!std::all_of(reference.begin(), reference.end(), UrlChar)) return std::nullopt;
    return home->Text() + std::string(reference);
  }
  const std::optional<Origin> there = OriginOf(reference);
  if (!there || !(*there == *home)) return std::nullopt;
  return std::string(reference);
}

bool IsGraphPath(std::string_view path) {
  if (path.empty()) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (!std::all_of(seg.begin(), seg.end(), [](char c) {
          return Alnum(c) || std::string_view("_.:=+-").find(c) != std::string_view::npos;
        })) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

bool IsUploadSessionId(std::string_view id) {
  if (id.rfind("upload:", 0) != 0 || id.size() == 7) return false;
  const size_t q = id.find('?');
  if (!IsGraphPath(id.substr(0, q))) return false;
  if (q == std::string_view::npos) return true;
  const std::string_view query = id.substr(q + 1);
  return !query.empty() && std::all_of(query.begin(), query.end(), [](char c) {
    return Alnum(c) || std::string_view("_.:=+-&%/").find(c) != std::string_view::npos;
  });
}

}  // namespace herald::connectors
