#include "common/checkpoint.h"

#include <cerrno>
#include <cstdlib>

#include "common/form.h"

namespace herald::connectors {

namespace {
constexpr std::string_view kPrefix = "v1:";
}

std::optional<Checkpoint> Checkpoint::Decode(std::string_view text) {
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  Checkpoint out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    out.values_[UrlDecode(pair.substr(0, eq))] = UrlDecode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return out;
}

std::string Checkpoint::Encode() const {
  std::string out(kPrefix);
  bool first = true;
  for (const auto& [key, value] : values_) {
    if (!first) out.push_back('&');
    first = false;
    out += UrlEncode(key);
    out.push_back('=');
    out += UrlEncode(value);
  }
  return out;
}

std::string Checkpoint::Get(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string() : it->second;
}

int64_t Checkpoint::GetInt(const std::string& key, int64_t fallback) const {
  std::string v = Get(key);
  if (v.empty()) return fallback;
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end == v.c_str() || *end != '\0') return fallback;
  return n;
}

std::vector<std::string> Checkpoint::GetList(const std::string& key) const {
  std::vector<std::string> out;
  std::string v = Get(key);
  size_t start = 0;
  while (start < v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    if (comma > start) out.push_back(v.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Checkpoint& Checkpoint::Set(const std::string& key, std::string value) {
  values_[key] = std::move(value);
  return *this;
}

Checkpoint& Checkpoint::SetInt(const std::string& key, int64_t value) {
  return Set(key, std::to_string(value));
}

Checkpoint& Checkpoint::SetList(const std::string& key, const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& v : values) {
    if (!joined.empty()) joined.push_back(',');
    joined += v;
  }
  return Set(key, std::move(joined));
}

Checkpoint& Checkpoint::Erase(const std::string& key) {
  values_.erase(key);
  return *this;
}

}  // namespace herald::connectors
