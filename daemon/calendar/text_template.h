// TextTemplate: a post's text (or link, media path, title...) as a Mustache
// template, rendered with kainjow mustache without HTML escaping (posts are
// plain text). Names are looked up in layers: built-ins (date, time,
// campaign...), then the audience member's variables, then the post's fields.
//
// Validation rule, documented in docs/calendar.md: a variable used outside
// any section must exist for every member; inside {{#x}}...{{/x}} or
// {{^x}}...{{/x}} a missing value renders empty. Partials and custom
// delimiters are refused.
//
// A TextTemplate owns its parsed form; Render mutates kainjow's internal
// state, so one instance is used by one thread at a time.
#pragma once

#include <kainjow/mustache.hpp>

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace herald::calendar {

using TemplateData = kainjow::mustache::data;

class TextTemplate {
 public:
  // Parses source; the error names what kainjow (or the rule above) refused.
  static Result<TextTemplate> Parse(const std::string& source);

  bool has_tags() const { return has_tags_; }
  // Variables outside any section: they must exist for every member.
  const std::vector<std::string>& required_names() const { return required_; }
  // Every variable or section tag, once per use, for upper-bound estimates.
  const std::vector<std::string>& all_names() const { return all_; }
  // The names of sections (`{{#x}}` and `{{^x}}`), each once.
  const std::vector<std::string>& section_names() const { return sections_; }
  // The template's literal text (everything outside tags).
  const std::string& literal_text() const { return literal_; }
  const std::string& source() const { return source_; }

  // Renders with the layers searched in order (first wins). nullptr layers are skipped.
  std::string Render(const TemplateData* builtins, const TemplateData* member,
                     const TemplateData* post) const;

 private:
  TextTemplate() = default;
  std::string source_;
  std::string literal_;
  std::vector<std::string> required_;
  std::vector<std::string> all_;
  std::vector<std::string> sections_;
  bool has_tags_ = false;
  std::shared_ptr<kainjow::mustache::mustache> compiled_;
};

}  // namespace herald::calendar
