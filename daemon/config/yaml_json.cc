#include "config/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <regex>

namespace herald::config {
namespace {

void AppendJsonString(std::string& out, const std::string& text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void AppendScalar(std::string& out, const YAML::Node& node) {
  static const std::regex kJsonNumber(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
  const std::string& text = node.Scalar();
  // "!" is the tag yaml-cpp gives quoted scalars; "?" plain ones.
  if (node.Tag() != "!") {
    if (text == "true" || text == "false") {
      out += text;
      return;
    }
    if (text == "null" || text == "~" || text.empty()) {
      out += "null";
      return;
    }
    if (std::regex_match(text, kJsonNumber)) {
      out += text;
      return;
    }
  }
  AppendJsonString(out, text);
}

void Append(std::string& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      out += '{';
      bool first = true;
      for (const auto& item : node) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(out, item.first.Scalar());
        out += ':';
        Append(out, item.second);
      }
      out += '}';
      return;
    }
    case YAML::NodeType::Sequence: {
      out += '[';
      bool first = true;
      for (const auto& item : node) {
        if (!first) out += ',';
        first = false;
        Append(out, item);
      }
      out += ']';
      return;
    }
    case YAML::NodeType::Scalar:
      AppendScalar(out, node);
      return;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out += "null";
      return;
  }
}

}  // namespace

std::string YamlToJson(const YAML::Node& node) {
  std::string out;
  Append(out, node);
  return out;
}

}  // namespace herald::config
