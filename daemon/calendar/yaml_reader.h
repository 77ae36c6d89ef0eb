// YamlReader: the YAML mechanics every part of a calendar file is read with:
// node positions as file:line:col, mappings read in order with duplicate and
// unknown keys reported (and the nearest known key suggested), scalars, lists
// and templates read with a message that says what was expected. Every
// problem goes to the Diagnostics it was given, which must outlive it. One
// reader per calendar file, used by the thread loading that file.
//
// yaml-cpp stays inside the calendar module: this header is included by the
// loader's own parts (loader.cc, the *_reader and post_checks files), never
// by loader.h or model.h, which the rest of the daemon sees.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calendar/diagnostic.h"
#include "calendar/text_template.h"

namespace herald::calendar {

// One YAML mapping's entries in order, with the key nodes kept for positions.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// The entry named `key`, or null.
const Entry* FindEntry(const std::vector<Entry>& entries, std::string_view key);

// Whether `s` may name a calendar, audience, campaign or post: letters,
// digits, `-`, `_`, `.`, at most 128 of them.
bool IsIdentifier(std::string_view s);

// False when `root` holds more than max_nodes values (aliases counted where
// they are used) or nests deeper than max_depth: an alias bomb is refused
// before anything walks it.
bool WithinYamlCaps(const YAML::Node& root, std::size_t max_nodes, std::size_t max_depth);

class YamlReader {
 public:
  YamlReader(std::string path, Diagnostics& diags) : path_(std::move(path)), diags_(diags) {}

  const std::string& path() const { return path_; }
  Diagnostics& diags() { return diags_; }

  SourcePos Pos(const YAML::Node& n) const;
  SourcePos FilePos() const { return {path_, 0, 0}; }
  void Err(const YAML::Node& n, std::string msg) { diags_.Error(Pos(n), std::move(msg)); }
  void Warn(const YAML::Node& n, std::string msg) { diags_.Warning(Pos(n), std::move(msg)); }

  // yaml-cpp accepts a quoted scalar that runs to the end of the file; a
  // marketer's missing closing quote should be an error at the opening quote.
  // `text` is the file `n` was parsed from.
  void CheckQuotes(const YAML::Node& n, const std::string& text);
  // n's entries in order; an error when n is not a mapping (`what` names
  // it), and for each key that is not a plain word or appears twice.
  std::vector<Entry> Mapping(const YAML::Node& n, const char* what);
  // An error for each key that is not `allowed`, in `where`.
  void CheckKeys(const std::vector<Entry>& entries, std::vector<std::string> allowed,
                 const char* where);
  // The entry's scalar; nullopt when e is null, or (with an error saying it
  // must be `what`) when its value is not a scalar.
  std::optional<std::string> Scalar(const Entry* e, const char* what);
  // A list of scalars (one scalar reads as a list of one); nullopt when e is
  // null or, with an error, when it is anything else.
  std::optional<std::vector<std::string>> StringList(const Entry* e, const char* what);
  // `source` (read from e) parsed as a template; an error in `what` when it
  // does not parse.
  std::optional<TextTemplate> Template(const Entry* e, const std::string& source, const char* what);

 private:
  const std::string path_;
  Diagnostics& diags_;
};

}  // namespace herald::calendar
