#include "calendar/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "calendar/suggest.h"
#include "calendar/utf8.h"

namespace herald::calendar {

namespace {

// The offset of the quote that closes the one at `open` (`"` with backslash
// escapes, `'` with `''` for an apostrophe), or npos.
std::size_t ClosingQuote(const std::string& text, std::size_t open) {
  const char q = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (q == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == q) {
      if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
        continue;
      }
      return i;
    }
  }
  return std::string::npos;
}

// Counts n and what is under it into count; false, with `at` set, past a cap.
bool CountNodes(const YAML::Node& n, std::size_t depth, std::size_t& count, std::size_t max_nodes,
                std::size_t max_depth, YamlCapExceeded& at) {
  if (depth > max_depth) {
    at = {n, true};
    return false;
  }
  if (++count > max_nodes) {
    at = {n, false};
    return false;
  }
  if (n.IsSequence()) {
    for (const YAML::Node& c : n) {
      if (!CountNodes(c, depth + 1, count, max_nodes, max_depth, at)) return false;
    }
  } else if (n.IsMap()) {
    for (const auto& kv : n) {
      if (!CountNodes(kv.first, depth + 1, count, max_nodes, max_depth, at) ||
          !CountNodes(kv.second, depth + 1, count, max_nodes, max_depth, at)) {
        return false;
      }
    }
  }
  return true;
}

bool WordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;
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

std::optional<YamlCapExceeded> CheckYamlCaps(const YAML::Node& root, std::size_t max_nodes,
                                             std::size_t max_depth) {
  std::size_t count = 0;
  YamlCapExceeded at;
  if (root.IsMap()) {
    // A count crossed inside a top-level value is reported at its key.
    if (++count > max_nodes) return YamlCapExceeded{root, false};
    for (const auto& kv : root) {
      if (!CountNodes(kv.first, 1, count, max_nodes, max_depth, at) ||
          !CountNodes(kv.second, 1, count, max_nodes, max_depth, at)) {
        if (!at.too_deep) at.at = kv.first;
        return at;
      }
    }
    return std::nullopt;
  }
  if (!CountNodes(root, 0, count, max_nodes, max_depth, at)) return at;
  return std::nullopt;
}

std::optional<std::size_t> YamlReader::Offset(const YAML::Node& n) const {
  const YAML::Mark m = n.Mark();
  if (m.is_null() || m.pos < 0 || static_cast<std::size_t>(m.pos) >= source_.size()) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(m.pos);
}

SourcePos YamlReader::Pos(const YAML::Node& n) const {
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return {path_, 0, 0};
  const std::optional<std::size_t> at = Offset(n);
  if (!at) return {path_, m.line + 1, m.column + 1};
  // Columns in characters: count from the line's start (not the file's, so
  // positions stay cheap in a large file).
  std::size_t line_start = *at;
  while (line_start > 0 && source_[line_start - 1] != '\n') --line_start;
  const std::string_view before(source_.data() + line_start, *at - line_start);
  return {path_, m.line + 1, static_cast<int>(CodePoints(before)) + 1};
}

SourcePos YamlReader::PosAt(std::size_t offset) const {
  const LineCol at = LineColAt(source_, offset);
  return {path_, at.line, at.col};
}

bool YamlReader::IsPlain(const YAML::Node& n) const {
  const std::optional<std::size_t> at = Offset(n);
  if (!at || !n.IsScalar()) return false;
  const char c = source_[*at];
  return c != '"' && c != '\'' && c != '|' && c != '>' && c != '!' && c != '&';
}

void YamlReader::CheckScalars(const YAML::Node& n) {
  if (n.IsSequence()) {
    for (const YAML::Node& c : n) CheckScalars(c);
    return;
  }
  if (n.IsMap()) {
    for (const auto& kv : n) {
      CheckScalars(kv.first);
      CheckScalars(kv.second);
    }
    return;
  }
  if (!n.IsScalar()) return;
  const std::optional<std::size_t> at = Offset(n);
  if (!at) return;
  const std::string& text = source_;
  const char q = text[*at];
  if (q == '"' || q == '\'') {
    if (ClosingQuote(text, *at) != std::string::npos) return;
    Err(n, std::string("this quote (") + q + ") is never closed; add the closing " + q);
    return;
  }
  if (q != '!' && q != '&') return;
  std::size_t end = *at + 1;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  const std::string word = text.substr(*at, end - *at);
  if (q == '!') {
    // `!!str` and the like are YAML's own types, written on purpose.
    if (n.Tag().rfind("tag:yaml.org,2002:", 0) == 0) return;
    Warn(n, "YAML reads `" + word +
                "` at the start of a value as a type tag and leaves it out, so the value is `" +
                n.Scalar() + "`; put the whole text in quotes to keep it");
    return;
  }
  // An anchor that something refers to (`*name`) was meant as one.
  if (text.find("*" + word.substr(1)) != std::string::npos) return;
  Warn(n, "YAML reads `" + word +
              "` at the start of a value as an anchor name and leaves it out, so the value is `" +
              n.Scalar() + "`; put the whole text in quotes to keep it");
}

void YamlReader::CheckHashtagComment(const Entry* e) {
  if (e == nullptr || !e->value.IsScalar()) return;
  const std::string& src = source_;
  const std::optional<std::size_t> at = Offset(e->value);
  if (!at) return;
  std::size_t i = *at;
  const char quote = src[i];
  if (quote == '"' || quote == '\'') {
    // A quoted text: the comment can follow its closing quote
    // (`text: "Go team!" #GameDay`).
    i = ClosingQuote(src, i);
    if (i == std::string::npos) return;
    WarnHashtagsAfter(*e, i + 1, "after the quoted text of `" + e->key + "`",
                      "move them inside the quotes");
    return;
  }
  if (!IsPlain(e->value)) return;
  const std::string value = e->value.Scalar();
  // Walk the source along the value: YAML folds the line breaks and
  // indentation of a plain scalar into single spaces.
  for (std::size_t k = 0; k < value.size(); ++k) {
    if (value[k] == ' ' || value[k] == '\n') {
      if (i >= src.size() || !std::isspace(static_cast<unsigned char>(src[i]))) return;
      while (i < src.size() && std::isspace(static_cast<unsigned char>(src[i]))) ++i;
      continue;
    }
    if (i >= src.size() || src[i] != value[k]) return;
    ++i;
  }
  WarnHashtagsAfter(*e, i, "after the text of `" + e->key + "`",
                    "put the whole text in quotes to keep the hashtags");
}

void YamlReader::WarnHashtagsAfter(const Entry& e, std::size_t i, const std::string& where,
                                   const std::string& fix) {
  const std::string& src = source_;
  // The comment can follow on the same line, or start the next line that is
  // indented as a continuation of the text.
  const int key_col = e.key_node.Mark().column;
  for (int lines = 0; lines < 2 && i < src.size(); ++lines) {
    std::size_t spaces = 0;
    while (i < src.size() && (src[i] == ' ' || src[i] == '\t')) ++i, ++spaces;
    if (i + 1 < src.size() && src[i] == '#' && WordByte(src[i + 1]) && (spaces > 0 || lines > 0)) {
      std::size_t end = src.find('\n', i);
      if (end == std::string::npos) end = src.size();
      std::string comment = src.substr(i, end - i);
      while (!comment.empty() && std::isspace(static_cast<unsigned char>(comment.back()))) {
        comment.pop_back();
      }
      diags_.Warning(PosAt(i), "`" + comment + "` " + where +
                                   " is read by YAML as a comment, so it is not posted; " + fix);
      return;
    }
    if (i >= src.size() || (src[i] != '\n' && src[i] != '\r')) return;
    while (i < src.size() && (src[i] == '\r' || src[i] == '\n')) ++i;
    std::size_t indent = 0;
    while (i + indent < src.size() && src[i + indent] == ' ') ++indent;
    if (static_cast<int>(indent) <= key_col) return;
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

std::set<std::string> YamlReader::CheckKeys(const std::vector<Entry>& entries,
                                            const std::vector<std::string>& allowed,
                                            const char* where) {
  std::set<std::string> meant;
  for (const Entry& e : entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    const std::string close = Suggest(e.key, allowed);
    Err(e.key_node, "unknown key `" + e.key + "` in " + where + close);
    if (!close.empty()) meant.insert(SuggestedWord(close));
  }
  return meant;
}

std::optional<std::string> YamlReader::Scalar(const Entry* e, const char* what) {
  if (e == nullptr) return std::nullopt;
  if (e->value.IsScalar()) return e->value.Scalar();
  const std::string must = std::string("`") + e->key + "` must be " + what;
  if (e->value.IsNull()) {
    // `text: #GameDay` is a key with a comment after it.
    if (const std::optional<std::size_t> at = Offset(e->key_node)) {
      const std::size_t colon = source_.find(':', *at + e->key.size());
      std::size_t i = colon == std::string::npos ? source_.size() : colon + 1;
      while (i < source_.size() && (source_[i] == ' ' || source_[i] == '\t')) ++i;
      if (i < source_.size() && source_[i] == '#') {
        Err(e->key_node, must + ", but YAML reads everything from a ` #` on as a comment, so `" +
                             e->key + "` is empty; put the text in quotes: `" + e->key +
                             ": \"#...\"`");
        return std::nullopt;
      }
    }
    Err(e->key_node, "`" + e->key + "` has no value; it must be " + what);
    return std::nullopt;
  }
  if (const std::optional<std::size_t> at = Offset(e->value)) {
    const char c = source_[*at];
    const bool template_start = source_.compare(*at, 2, "{{") == 0;
    if (template_start || ((c == '{' || c == '[') && std::string_view(what) == "text")) {
      std::string shown = source_.substr(*at, std::min(source_.find('\n', *at), *at + 40) - *at);
      Err(e->value, must + ", but YAML reads a value that starts with `" + std::string(1, c) +
                        "` as a " + (c == '{' ? "mapping" : "list") + ": quote this text (`" +
                        e->key + ": \"" + shown + (shown.size() == 40 ? "..." : "") + "\"`)");
      return std::nullopt;
    }
  }
  Err(e->value, must);
  return std::nullopt;
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
