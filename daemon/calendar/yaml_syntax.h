// YamlSyntax: a calendar file's text parsed with yaml-cpp, and when it is
// not valid YAML, why, in a marketer's words, at the place of the cause
// rather than where the parser gave up: a text starting with `{{`, `[`, `@`
// or `*` that needs quotes ("quote this text"), a `: ` inside an unquoted
// text, quotes that close before the text ends, a backslash in double
// quotes, a tab in the indentation, a key out of line with its neighbours,
// a `[` never closed.
//
// When the cause is one value that only needed quotes, that value is quoted
// in a copy of the text and parsing goes on, so the rest of the file is
// still checked (its positions unchanged) and every mistake shows in one run.
//
// yaml-cpp is included: this header belongs to the loader's own parts (see
// yaml_reader.h). Pure functions; any thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <vector>

#include "calendar/utf8.h"

namespace herald::calendar {

struct YamlSyntaxProblem {
  LineCol at;
  std::string message;
};

struct ParsedYaml {
  // The documents, or none when the text could not be parsed.
  std::vector<YAML::Node> documents;
  // The text the documents were parsed from: the input, with the values
  // that needed quotes quoted. Node positions refer to it.
  std::string source;
  // Syntax errors, in file order.
  std::vector<YamlSyntaxProblem> problems;
};

// text must be valid UTF-8 without a BOM. At most max_repairs values are
// quoted to go on past an error.
ParsedYaml ParseYaml(std::string text, std::size_t max_repairs);

}  // namespace herald::calendar
