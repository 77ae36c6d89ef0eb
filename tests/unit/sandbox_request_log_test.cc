#include "sandbox/request_log.h"

#include <catch2/catch.hpp>

using namespace herald::sandbox;

TEST_CASE("secrets are masked in logged parameters") {
  HttpRequest request;
  request.params = {{"access_token", "s3cret"}, {"client_secret", "x"}, {"message", "hi"}};
  request.headers["authorization"] = "Bearer s3cret";
  std::string text = MaskedParams(request).serialize();
  CHECK(text.find("s3cret") == std::string::npos);
  CHECK(text.find("\"message\":\"hi\"") != std::string::npos);
  CHECK(text.find("Bearer ***") != std::string::npos);
}

TEST_CASE("times carry microseconds") {
  TimePoint t{std::chrono::microseconds(1700000000123456)};
  CHECK(FormatMicros(t) == "2023-11-14T22:13:20.123456Z");
}

TEST_CASE("the log is queried by path glob, method and sequence") {
  RequestLog log;
  for (const char* path : {"/v21.0/1/feed", "/v21.0/1/photos", "/v21.0/2/feed"}) {
    LogEntry entry;
    entry.method = "POST";
    entry.path = path;
    log.Add(entry);
  }
  CHECK(log.Query("*/feed", "POST", 0).size() == 2);
  CHECK(log.Query("*/feed", "GET", 0).empty());
  CHECK(log.Query("", "", 2).size() == 1);
}
