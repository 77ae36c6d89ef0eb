#include "sandbox/http_message.h"

#include <algorithm>
#include <cctype>

namespace herald::sandbox {

std::string HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpRequest::Param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

HttpResponse HttpResponse::Json(int status, const web::json::value& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.serialize();
  return response;
}

HttpResponse HttpResponse::Text(int status, std::string content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

// The value of `name=` inside a header such as Content-Type or
// Content-Disposition, without quotes; "" when absent.
std::string HeaderAttribute(std::string_view header, std::string_view name) {
  std::string lowered = Lower(std::string(header));
  std::string key = std::string(name) + "=";
  size_t pos = 0;
  while ((pos = lowered.find(key, pos)) != std::string::npos) {
    bool boundary_ok = pos == 0 || lowered[pos - 1] == ';' || lowered[pos - 1] == ' ';
    if (boundary_ok) break;
    pos += key.size();
  }
  if (pos == std::string::npos) return "";
  size_t start = pos + key.size();
  if (start < header.size() && header[start] == '"') {
    size_t close = header.find('"', start + 1);
    return std::string(header.substr(
        start + 1, close == std::string::npos ? std::string::npos : close - start - 1));
  }
  size_t end = header.find(';', start);
  return Trim(header.substr(start, end == std::string::npos ? std::string::npos : end - start));
}

Status ParseMultipart(HttpRequest& request, const std::string& boundary) {
  const std::string delimiter = "--" + boundary;
  const std::string& body = request.body;
  size_t pos = body.find(delimiter);
  if (pos == std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "multipart body without its boundary");
  }
  while (true) {
    pos += delimiter.size();
    if (body.compare(pos, 2, "--") == 0) return Status::Ok();
    if (body.compare(pos, 2, "\r\n") != 0) {
      return Error(ErrorCode::kInvalidArgument, "malformed multipart boundary line");
    }
    pos += 2;
    size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string::npos) {
      return Error(ErrorCode::kInvalidArgument, "multipart part without headers");
    }
    std::string name, filename, content_type;
    bool has_filename = false;
    std::string_view headers(body.data() + pos, headers_end - pos);
    size_t line_start = 0;
    while (line_start <= headers.size()) {
      size_t line_end = headers.find("\r\n", line_start);
      std::string_view line = headers.substr(
          line_start, line_end == std::string::npos ? std::string::npos : line_end - line_start);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string header_name = Lower(Trim(line.substr(0, colon)));
        std::string_view value = line.substr(colon + 1);
        if (header_name == "content-disposition") {
          name = HeaderAttribute(value, "name");
          has_filename = Lower(std::string(value)).find("filename=") != std::string::npos;
          filename = HeaderAttribute(value, "filename");
        } else if (header_name == "content-type") {
          content_type = Trim(value);
        }
      }
      if (line_end == std::string::npos) break;
      line_start = line_end + 2;
    }
    size_t data_start = headers_end + 4;
    size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string::npos) {
      return Error(ErrorCode::kInvalidArgument, "multipart part without a closing boundary");
    }
    std::string data = body.substr(data_start, next - data_start);
    if (has_filename) {
      request.files[name] = UploadedFile{filename, content_type, std::move(data)};
    } else {
      request.params[name] = std::move(data);
    }
    pos = next + 2;
  }
}

}  // namespace

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::map<std::string, std::string> ParseUrlEncoded(std::string_view text) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        out[UrlDecode(pair)] = "";
      } else {
        out[UrlDecode(pair.substr(0, eq))] = UrlDecode(pair.substr(eq + 1));
      }
    }
    start = end + 1;
  }
  return out;
}

Status ParseBody(HttpRequest& request) {
  if (request.body.empty()) return Status::Ok();
  std::string content_type = request.Header("content-type");
  std::string lowered = Lower(content_type);
  if (lowered.rfind("application/x-www-form-urlencoded", 0) == 0) {
    for (auto& [key, value] : ParseUrlEncoded(request.body)) request.params[key] = value;
    return Status::Ok();
  }
  if (lowered.rfind("multipart/form-data", 0) == 0) {
    std::string boundary = HeaderAttribute(content_type, "boundary");
    if (boundary.empty()) {
      return Error(ErrorCode::kInvalidArgument, "multipart/form-data without a boundary");
    }
    return ParseMultipart(request, boundary);
  }
  if (lowered.rfind("application/json", 0) == 0) {
    std::error_code error;
    web::json::value parsed = web::json::value::parse(request.body, error);
    if (error || !parsed.is_object()) {
      return Error(ErrorCode::kInvalidArgument, "the JSON body is not an object");
    }
    for (const auto& [key, value] : parsed.as_object()) {
      request.params[key] = value.is_string() ? value.as_string() : value.serialize();
    }
  }
  return Status::Ok();
}

std::string JsonString(const web::json::value& object, const std::string& key) {
  if (!object.is_object() || !object.has_field(key)) return "";
  const web::json::value& value = object.at(key);
  return value.is_string() ? value.as_string() : value.serialize();
}

web::json::value JsonStr(const std::string& text) { return web::json::value::string(text); }

}  // namespace herald::sandbox
