#include "calendar/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "calendar/suggest.h"

namespace herald::calendar {

namespace {

bool CountNodes(const YAML::Node& n, std::size_t depth, std::size_t& count, std::size_t max_nodes,
                std::size_t max_depth) {
  if (++count > max_nodes || depth > max_depth) return false;
  if (n.IsSequence()) {
    for (const YAML::Node& c : n) {
      if (!CountNodes(c, depth + 1, count, max_nodes, max_depth)) return false;
    }
  } else if (n.IsMap()) {
    for (const auto& kv : n) {
      if (!CountNodes(kv.first, depth + 1, count, max_nodes, max_depth) ||
          !CountNodes(kv.second, depth + 1, count, max_nodes, max_depth)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

const Entry* FindEntry(const std::vector<Entry>& entries, std::string_view key) {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

bool WithinYamlCaps(const YAML::Node& root, std::size_t max_nodes, std::size_t max_depth) {
  std::size_t count = 0;
  return CountNodes(root, 0, count, max_nodes, max_depth);
}

SourcePos YamlReader::Pos(const YAML::Node& n) const {
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return {path_, 0, 0};
  return {path_, m.line + 1, m.column + 1};
}

void YamlReader::CheckQuotes(const YAML::Node& n, const std::string& text) {
  if (n.IsSequence()) {
    for (const YAML::Node& c : n) CheckQuotes(c, text);
  } else if (n.IsMap()) {
    for (const auto& kv : n) {
      CheckQuotes(kv.first, text);
      CheckQuotes(kv.second, text);
    }
  } else if (n.IsScalar()) {
    const YAML::Mark m = n.Mark();
    if (m.is_null() || m.pos < 0 || static_cast<std::size_t>(m.pos) >= text.size()) return;
    const char q = text[static_cast<std::size_t>(m.pos)];
    if (q != '"' && q != '\'') return;
    for (std::size_t i = static_cast<std::size_t>(m.pos) + 1; i < text.size(); ++i) {
      if (q == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == q) {
        if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
          continue;
        }
        return;
      }
    }
    Err(n, std::string("this quote (") + q + ") is never closed; add the closing " + q);
  }
}

std::vector<Entry> YamlReader::Mapping(const YAML::Node& n, const char* what) {
  std::vector<Entry> out;
  if (!n.IsMap()) {
    Err(n, std::string(what) + " must be a mapping of `key: value` lines");
    return out;
  }
  std::set<std::string> seen;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) {
      Err(kv.first, "a key must be a plain word");
      continue;
    }
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) {
      Err(kv.first, "key `" + key + "` appears twice; keep one");
      continue;
    }
    out.push_back({key, kv.first, kv.second});
  }
  return out;
}

void YamlReader::CheckKeys(const std::vector<Entry>& entries, std::vector<std::string> allowed,
                           const char* where) {
  for (const Entry& e : entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    Err(e.key_node, "unknown key `" + e.key + "` in " + where + Suggest(e.key, allowed));
  }
}

std::optional<std::string> YamlReader::Scalar(const Entry* e, const char* what) {
  if (e == nullptr) return std::nullopt;
  if (!e->value.IsScalar()) {
    Err(e->value.IsNull() ? e->key_node : e->value,
        std::string("`") + e->key + "` must be " + what);
    return std::nullopt;
  }
  return e->value.Scalar();
}

std::optional<std::vector<std::string>> YamlReader::StringList(const Entry* e, const char* what) {
  if (e == nullptr) return std::nullopt;
  std::vector<std::string> out;
  if (e->value.IsScalar()) {
    out.push_back(e->value.Scalar());
    return out;
  }
  if (!e->value.IsSequence()) {
    Err(e->value.IsNull() ? e->key_node : e->value,
        std::string("`") + e->key + "` must be a list of " + what);
    return std::nullopt;
  }
  for (const YAML::Node& item : e->value) {
    if (!item.IsScalar()) {
      Err(item, std::string("each entry of `") + e->key + "` must be " + what);
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<TextTemplate> YamlReader::Template(const Entry* e, const std::string& source,
                                                 const char* what) {
  Result<TextTemplate> t = TextTemplate::Parse(source);
  if (!t.ok()) {
    Err(e->value, std::string("in ") + what + ": " + t.error().message());
    return std::nullopt;
  }
  return std::move(t).value();
}

}  // namespace herald::calendar
