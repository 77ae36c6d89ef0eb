// Instagram container flow through Sandbox::Handle with a fake clock and a
// fake media fetcher: no network, no sleeping.
#include <catch2/catch.hpp>

#include "sandbox/sandbox.h"

using namespace herald;
using namespace herald::sandbox;

namespace {

class FakeFetcher : public MediaFetcher {
 public:
  Result<FetchedMedia> Fetch(const std::string& url, int64_t) override {
    if (url.find("missing") != std::string::npos) return Error(ErrorCode::kNotFound, "HTTP 404");
    if (url.find(".png") != std::string::npos) return FetchedMedia{MediaType::kPng, 10};
    if (url.find(".mp4") != std::string::npos) return FetchedMedia{MediaType::kMp4, 10};
    return FetchedMedia{MediaType::kJpeg, 10};
  }
};

struct Fixture {
  FakeClock clock{TimePoint(std::chrono::hours(480000))};
  FakeFetcher fetcher;
  Sandbox sandbox{*ParseConfig(R"(
processing: {instagram_container_seconds: 5}
rate_limits: {instagram_posts_per_day: 1}
accounts:
  - {platform: instagram, id: "178", name: cc, tokens: [tok]}
)"),
                  clock, fetcher};

  HttpResponse Call(const std::string& method, const std::string& path,
                    std::map<std::string, std::string> params) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    request.params = std::move(params);
    request.params["access_token"] = "tok";
    return sandbox.Handle(request);
  }
  web::json::value Json(const HttpResponse& response) {
    return web::json::value::parse(response.body);
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "a container finishes after the configured delay and publishes once") {
  HttpResponse created = Call("POST", "/v21.0/178/media", {{"image_url", "http://x/a.jpg"}});
  REQUIRE(created.status == 200);
  std::string id = Json(created)["id"].as_string();
  auto status = [&] {
    return Json(Call("GET", "/v21.0/" + id, {{"fields", "status_code"}}))["status_code"]
        .as_string();
  };
  CHECK(status() == "IN_PROGRESS");
  HttpResponse early = Call("POST", "/v21.0/178/media_publish", {{"creation_id", id}});
  CHECK(early.status == 400);
  CHECK(Json(early)["error"]["error_subcode"].as_integer() == 2207027);
  clock.Advance(std::chrono::seconds(5));
  CHECK(status() == "FINISHED");
  CHECK(Call("POST", "/v21.0/178/media_publish", {{"creation_id", id}}).status == 200);
  CHECK(status() == "PUBLISHED");
  HttpResponse again = Call("POST", "/v21.0/178/media_publish", {{"creation_id", id}});
  CHECK(again.status == 400);
}

TEST_CASE_METHOD(Fixture, "media that cannot be fetched or is not JPEG is refused") {
  HttpResponse missing = Call("POST", "/v21.0/178/media", {{"image_url", "http://x/missing.jpg"}});
  CHECK(missing.status == 400);
  CHECK(Json(missing)["error"]["code"].as_integer() == 9004);
  CHECK(Json(missing)["error"]["error_subcode"].as_integer() == 2207052);
  HttpResponse png = Call("POST", "/v21.0/178/media", {{"image_url", "http://x/a.png"}});
  CHECK(Json(png)["error"]["error_subcode"].as_integer() == 2207005);
}

TEST_CASE_METHOD(Fixture, "a container_error fault ends the container in ERROR") {
  sandbox.faults().Add(*ParseFaultSpec("kind=container_error,path=*/media"));
  std::string id = Json(Call("POST", "/v21.0/178/media",
                             {{"media_type", "REELS"}, {"video_url", "http://x/v.mp4"}}))["id"]
                       .as_string();
  clock.Advance(std::chrono::seconds(10));
  auto body = Json(Call("GET", "/v21.0/" + id, {{"fields", "status_code,status"}}));
  CHECK(body["status_code"].as_string() == "ERROR");
}

TEST_CASE_METHOD(Fixture, "content_publishing_limit counts and enforces the daily quota") {
  for (int i = 0; i < 2; ++i) {
    std::string id =
        Json(Call("POST", "/v21.0/178/media", {{"image_url", "http://x/a.jpg"}}))["id"].as_string();
    clock.Advance(std::chrono::seconds(5));
    HttpResponse published = Call("POST", "/v21.0/178/media_publish", {{"creation_id", id}});
    if (i == 1) {
      CHECK(Json(published)["error"]["error_subcode"].as_integer() == 2207042);
    }
  }
  auto limit = Json(Call("GET", "/v21.0/178/content_publishing_limit", {}));
  CHECK(limit["data"][0]["quota_usage"].as_integer() == 1);
  CHECK(limit["data"][0]["config"]["quota_total"].as_integer() == 1);
}

TEST_CASE_METHOD(Fixture, "a wrong token gets Graph error 190") {
  HttpRequest request;
  request.method = "GET";
  request.path = "/v21.0/178/media";
  request.params["access_token"] = "nope";
  HttpResponse response = sandbox.Handle(request);
  CHECK(response.status == 400);
  CHECK(web::json::value::parse(response.body)["error"]["code"].as_integer() == 190);
}
