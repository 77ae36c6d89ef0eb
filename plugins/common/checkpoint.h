// Checkpoint: the small, versioned, human-readable state a multi-step flow
// hands the host in a `continue` outcome ("v1:ph=wait&c=1789..."). Keys and
// values are form-encoded, so any text fits. It never holds a token: the host
// journals it in plain text. A value type; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::connectors {

class Checkpoint {
 public:
  // Reads "v1:..."; nullopt when the text is not a checkpoint of this version.
  static std::optional<Checkpoint> Decode(std::string_view text);
  std::string Encode() const;

  std::string Get(const std::string& key) const;  // "" when absent
  int64_t GetInt(const std::string& key, int64_t fallback = 0) const;
  // A comma-separated list value ("" -> empty).
  std::vector<std::string> GetList(const std::string& key) const;

  Checkpoint& Set(const std::string& key, std::string value);
  Checkpoint& SetInt(const std::string& key, int64_t value);
  Checkpoint& SetList(const std::string& key, const std::vector<std::string>& values);
  Checkpoint& Erase(const std::string& key);

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace herald::connectors
