// Fuzz target: the control API's reading of a request. An input is the bytes
// a client sends on the control socket: the HTTP server's parser, caps,
// refusals and target decoding (control::ParseRequest, the same steps as a
// connection), then the JSON readers of api_json.h on the body and the query
// parameters, as the routes call them. Whatever arrives gets a Request or a
// refusal, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "control/http_server.h"
// Last: cpprestsdk's U() macro (api_json.h).
#include "control/api_json.h"
#include "fuzz_support.h"

using namespace herald::control;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const HttpServerOptions options = [] {
    HttpServerOptions o;
    o.max_header_bytes = 8 * 1024;
    o.max_body_bytes = 64 * 1024;  // smaller than the daemon's, to keep inputs small
    return o;
  }();
  ParsedRequest parsed = ParseRequest(herald::fuzz::Text(data, size), options);
  if (!parsed.request) return 0;
  const Request& request = *parsed.request;
  for (const auto& [key, value] : request.query) (void)ParseTime(value, key.c_str());
  // The members pause, resume and the job actions read.
  static const std::vector<std::string_view> kFields = {"scope",     "name", "reason", "outcome",
                                                        "remote_id", "url",  "note"};
  auto body = ParseObject(request.body, kFields);
  if (body.ok()) {
    (void)ParseScope(*body);
    for (const std::string_view field : kFields) {
      (void)StringField(*body, std::string(field).c_str());
    }
  }
  return 0;
}
