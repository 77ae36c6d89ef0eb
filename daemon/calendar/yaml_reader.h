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
#include <set>
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

// Where `root` first goes past max_nodes values (aliases counted where they
// are used) or max_depth levels, so an alias bomb is refused before anything
// walks it: the top-level key whose value crosses the count, or the node
// nested too deep. nullopt when within both.
struct YamlCapExceeded {
  YAML::Node at;
  bool too_deep = false;  // else too many values
};
std::optional<YamlCapExceeded> CheckYamlCaps(const YAML::Node& root, std::size_t max_nodes,
                                             std::size_t max_depth);

class YamlReader {
 public:
  YamlReader(std::string path, Diagnostics& diags) : path_(std::move(path)), diags_(diags) {}

  const std::string& path() const { return path_; }
  Diagnostics& diags() { return diags_; }

  // The text the nodes were parsed from (valid UTF-8, without a BOM). With
  // it, columns count characters, not bytes, and the checks below can see
  // how a value was written.
  void SetSource(std::string text) { source_ = std::move(text); }
  const std::string& source() const { return source_; }

  SourcePos Pos(const YAML::Node& n) const;
  // The position of byte `offset` of the source.
  SourcePos PosAt(std::size_t offset) const;
  // Line 1, column 1: for what concerns the whole file.
  SourcePos FilePos() const { return {path_, 1, 1}; }
  void Err(const YAML::Node& n, std::string msg) { diags_.Error(Pos(n), std::move(msg)); }
  void Warn(const YAML::Node& n, std::string msg) { diags_.Warning(Pos(n), std::move(msg)); }
  // true the first time it is asked about `what` in this file: for what is
  // said once per file.
  bool Once(const std::string& what) { return said_.insert(what).second; }

  // What YAML reads differently from what a marketer meant, for every
  // scalar under n: a quoted value that runs to the end of the file (yaml-cpp
  // accepts it; an error at the opening quote), and a value that starts with
  // `!word` or `&word`, which YAML takes for a tag or an anchor and leaves
  // out of the value (a warning).
  void CheckScalars(const YAML::Node& n);
  // A warning when hashtags written after the text in e are a YAML comment:
  // a ` #word` after a plain (unquoted) text, or after the closing quote of
  // a quoted one, so they vanish from the post.
  void CheckHashtagComment(const Entry* e);
  // The warning of CheckHashtagComment for a `#word` comment from byte i on
  // (the end of e's value), on that line or the next indented one.
  void WarnHashtagsAfter(const Entry& e, std::size_t i, const std::string& where,
                         const std::string& fix);
  // Whether a scalar was written without quotes or block indicators.
  bool IsPlain(const YAML::Node& n) const;
  // n's entries in order; an error when n is not a mapping (`what` names
  // it), and for each key that is not a plain word or appears twice.
  std::vector<Entry> Mapping(const YAML::Node& n, const char* what);
  // An error for each key that is not `allowed`, in `where`. Returns the
  // allowed keys that the unknown ones were probably meant to be (`txet` for
  // `text`), so a check that a key is present does not report it missing too.
  std::set<std::string> CheckKeys(const std::vector<Entry>& entries,
                                  const std::vector<std::string>& allowed, const char* where);
  // The entry's scalar; nullopt when e is null, or (with an error saying it
  // must be `what`) when its value is not a scalar. A value that YAML read
  // as a mapping or list because it starts with `{` or `[` is told to be
  // quoted; an empty one, or one that starts with `#` (a comment), too.
  std::optional<std::string> Scalar(const Entry* e, const char* what);
  // A list of scalars (one scalar reads as a list of one); nullopt when e is
  // null or, with an error, when it is anything else.
  std::optional<std::vector<std::string>> StringList(const Entry* e, const char* what);
  // `source` (read from e) parsed as a template; an error in `what` when it
  // does not parse.
  std::optional<TextTemplate> Template(const Entry* e, const std::string& source, const char* what);

 private:
  // The byte offset of n's first character in source_, when known.
  std::optional<std::size_t> Offset(const YAML::Node& n) const;

  const std::string path_;
  Diagnostics& diags_;
  std::string source_;
  std::set<std::string> said_;
};

}  // namespace herald::calendar
