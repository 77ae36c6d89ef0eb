// GCC 12 at -O2 reports a "potential null pointer dereference" inside
// kainjow's own context::push (vector::insert of a pointer) instantiated
// here; a known false positive of that middle-end warning. It is reported at
// the standard library's line, so the pragma must precede every include.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "calendar/text_template.h"

#include <algorithm>

namespace herald::calendar {
namespace {

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

void AddUnique(std::vector<std::string>& v, const std::string& name) {
  if (std::find(v.begin(), v.end(), name) == v.end()) v.push_back(name);
}

}  // namespace

Result<TextTemplate> TextTemplate::Parse(const std::string& source) {
  TextTemplate t;
  t.source_ = source;
  // Tag scan for the names the validation rule needs; kainjow does the rendering.
  int depth = 0;
  std::size_t pos = 0;
  while (pos < source.size()) {
    const std::size_t open = source.find("{{", pos);
    if (open == std::string::npos) {
      t.literal_.append(source, pos, std::string::npos);
      break;
    }
    t.literal_.append(source, pos, open - pos);
    const bool triple = source.compare(open, 3, "{{{") == 0;
    const std::size_t close = source.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
    if (close == std::string::npos) {
      return Error(ErrorCode::kInvalidArgument, "a `{{` tag is not closed with `}}`");
    }
    t.has_tags_ = true;
    std::string body = source.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
    pos = close + (triple ? 3 : 2);
    if (body.empty()) return Error(ErrorCode::kInvalidArgument, "an empty `{{}}` tag");
    const char kind = triple ? '{' : body[0];
    switch (kind) {
      case '!':
        continue;
      case '>':
        return Error(ErrorCode::kInvalidArgument, "partials (`{{>name}}`) are not supported");
      case '=':
        return Error(ErrorCode::kInvalidArgument,
                     "custom delimiters (`{{=<% %>=}}`) are not supported");
      case '#':
      case '^':
        t.all_.push_back(Trim(body.substr(1)));
        AddUnique(t.sections_, t.all_.back());
        ++depth;
        continue;
      case '/':
        --depth;
        continue;
      case '&':
        body = body.substr(1);
        break;
      default:
        break;
    }
    const std::string name = Trim(body);
    if (name == ".") continue;
    t.all_.push_back(name);
    if (depth == 0) AddUnique(t.required_, name);
  }
  if (t.has_tags_) {
    t.compiled_ = std::make_shared<kainjow::mustache::mustache>(source);
    if (!t.compiled_->is_valid()) {
      return Error(ErrorCode::kInvalidArgument, "template: " + t.compiled_->error_message());
    }
    t.compiled_->set_custom_escape([](const std::string& s) { return s; });
  }
  return t;
}

namespace {

// The three name layers plus whatever sections push, searched innermost
// first; kainjow's own context keeps a vector it inserts at the front.
class LayeredContext : public kainjow::mustache::basic_context<std::string> {
 public:
  LayeredContext(const TemplateData* builtins, const TemplateData* member, const TemplateData* post)
      : layers_{builtins, member, post} {}

  void push(const TemplateData* data) override { sections_.push_back(data); }
  void pop() override {
    if (!sections_.empty()) sections_.pop_back();
  }

  const TemplateData* get(const std::string& name) const override {
    if (name == ".") {
      if (!sections_.empty()) return sections_.back();
      for (const TemplateData* l : layers_) {
        if (l != nullptr) return l;
      }
      return nullptr;
    }
    for (auto it = sections_.rbegin(); it != sections_.rend(); ++it) {
      if (const TemplateData* v = Lookup(*it, name)) return v;
    }
    for (const TemplateData* l : layers_) {
      if (const TemplateData* v = Lookup(l, name)) return v;
    }
    return nullptr;
  }

  const TemplateData* get_partial(const std::string&) const override { return nullptr; }

 private:
  // Follows "a.b.c" through nested objects.
  static const TemplateData* Lookup(const TemplateData* data, const std::string& name) {
    std::size_t start = 0;
    while (data != nullptr) {
      const std::size_t dot = name.find('.', start);
      if (!data->is_object()) return nullptr;
      data = data->get(name.substr(start, dot == std::string::npos ? dot : dot - start));
      if (dot == std::string::npos) return data;
      start = dot + 1;
    }
    return nullptr;
  }

  const TemplateData* layers_[3];
  std::vector<const TemplateData*> sections_;
};

}  // namespace

std::string TextTemplate::Render(const TemplateData* builtins, const TemplateData* member,
                                 const TemplateData* post) const {
  if (!has_tags_) return source_;
  LayeredContext ctx(builtins, member, post);
  return compiled_->render(ctx);
}

}  // namespace herald::calendar
