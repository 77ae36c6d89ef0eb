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

std::string TextTemplate::Render(const TemplateData* builtins, const TemplateData* member,
                                 const TemplateData* post) const {
  if (!has_tags_) return source_;
  kainjow::mustache::context<std::string> ctx;
  // push() puts a layer in front, so the last pushed is searched first.
  if (post != nullptr) ctx.push(post);
  if (member != nullptr) ctx.push(member);
  if (builtins != nullptr) ctx.push(builtins);
  return compiled_->render(ctx);
}

}  // namespace herald::calendar
