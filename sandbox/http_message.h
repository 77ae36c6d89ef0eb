// The sandbox's transport-neutral view of one HTTP exchange. The server adapter
// (server.h) fills an HttpRequest from cpprest's request; the emulators answer
// with an HttpResponse. Plain values: each thread works on its own copies.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cpprest/json.h>

#include "daemon/common/result.h"

namespace herald::sandbox {

// One file part of a multipart/form-data body.
struct UploadedFile {
  std::string filename;
  std::string content_type;
  std::string data;
};

struct HttpRequest {
  std::string method;                          // upper case: GET, POST, PUT, DELETE
  std::string path;                            // percent-decoded, without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> params;   // query, then form, multipart or JSON fields
  std::map<std::string, UploadedFile> files;   // multipart file parts by field name
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, or "" when absent; `name` in lower case.
  std::string Header(const std::string& name) const;
  // The parameter's value, or "" when absent.
  std::string Param(const std::string& name) const;
  bool HasParam(const std::string& name) const { return params.count(name) != 0; }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=UTF-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set by the connection-drop fault: the request was applied, then the
  // connection is closed without a single byte of answer.
  bool drop_connection = false;

  static HttpResponse Json(int status, const web::json::value& body);
  static HttpResponse Text(int status, std::string content_type, std::string body);
  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

std::string UrlDecode(std::string_view text);
std::string UrlEncode(std::string_view text);
// Parses `a=1&b=2` (application/x-www-form-urlencoded); later keys win.
std::map<std::string, std::string> ParseUrlEncoded(std::string_view text);
// Fills params and files from the body according to its Content-Type
// (url-encoded form, multipart/form-data or JSON object); query parameters
// already in params are overridden by body fields of the same name.
Status ParseBody(HttpRequest& request);

// JSON helpers shared by the emulators.
std::string JsonString(const web::json::value& object, const std::string& key);
web::json::value JsonStr(const std::string& text);

}  // namespace herald::sandbox
