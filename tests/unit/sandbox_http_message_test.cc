#include "sandbox/http_message.h"

#include <catch2/catch.hpp>

using namespace herald::sandbox;

TEST_CASE("url-encoded forms decode") {
  auto params = ParseUrlEncoded("message=Go+Tigers%21&link=https%3A%2F%2Fx.test");
  CHECK(params["message"] == "Go Tigers!");
  CHECK(params["link"] == "https://x.test");
}

TEST_CASE("multipart bodies give fields and files") {
  HttpRequest request;
  request.headers["content-type"] = "multipart/form-data; boundary=XyZ";
  request.body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"published\"\r\n\r\nfalse\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"source\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF\r\n--XyZ--\r\n";
  REQUIRE(ParseBody(request).ok());
  CHECK(request.Param("published") == "false");
  REQUIRE(request.files.count("source") == 1);
  CHECK(request.files["source"].data == "\xFF\xD8\xFF");
  CHECK(request.files["source"].filename == "a.jpg");
}

TEST_CASE("a JSON body becomes parameters") {
  HttpRequest request;
  request.headers["content-type"] = "application/json";
  request.body = R"({"message":"hi","attached_media":[{"media_fbid":"1"}]})";
  REQUIRE(ParseBody(request).ok());
  CHECK(request.Param("message") == "hi");
  CHECK(request.Param("attached_media") == R"([{"media_fbid":"1"}])");
}
