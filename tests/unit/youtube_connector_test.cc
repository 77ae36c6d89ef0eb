// YouTube connector: parsing of Data API v3 and OAuth answers (bodies as the
// API reference documents them), malformed and truncated bodies, error
// classification and the quota reset time.
#include <catch2/catch.hpp>

#include "support/canned_host.h"
#include "youtube/google_errors.h"
#include "youtube/oauth_tokens.h"
#include "youtube/resumable_upload.h"
#include "youtube/video_statistics.h"
#include "youtube/youtube_connector.h"

using namespace herald::connectors::youtube;
using herald::testing::Canned;
using herald::testing::CannedHost;
using herald::testing::TestPost;

namespace {
herald::Response Answer(int status, std::string body, std::string headers = {}) {
  herald::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

constexpr const char* kBase = "https://yt.test";
constexpr const char* kSession = "https://yt.test/upload/youtube/v3/videos?upload_id=s1";
constexpr const char* kVideo = R"({"kind":"youtube#video","id":"vid1"})";

// A channel with a fresh access token, and a post of one 1,000-byte video.
struct Channel {
  CannedHost host;
  TestPost post;
  std::optional<YouTubeConnector> yt;
  explicit Channel(std::string settings = "{}") {
    host.credentials["access_token"] = "ya29.token";
    host.credentials["expires_at_ms"] = std::to_string(host.now_ms + 3'600'000);
    herald::testing::TestMedium video;
    video.kind = HERALD_MEDIA_VIDEO;
    video.path = "/media/clip.mp4";
    video.mime_type = "video/mp4";
    video.size_bytes = 1000;
    post.media = {video};
    post.post_json = R"({"options":{"title":"Clip"}})";
    yt.emplace(host.host(), herald::Account{"youtube", "channel", std::string(kBase), settings});
  }
  herald::Outcome Step(std::optional<std::string> checkpoint) {
    if (!checkpoint) return yt->Step(post.view(), std::nullopt);
    return yt->Step(post.view(), std::string_view(*checkpoint));
  }
  // The checkpoint after a session was opened.
  std::string Started() {
    host.On("POST", "/upload/youtube/v3/videos?uploadType=resumable",
            Canned::Answer(200, "", std::string("Location: ") + kSession + "\r\n"));
    herald::Outcome o = Step(std::nullopt);
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    return o.checkpoint();
  }
};
}  // namespace

TEST_CASE("308 Range gives the acknowledged offset") {
  CHECK(AcknowledgedOffset(Answer(308, "", "Range: bytes=0-262143\r\n")) == 262144);
  CHECK(AcknowledgedOffset(Answer(308, "")) == 0);
  CHECK_FALSE(AcknowledgedOffset(Answer(308, "", "Range: bytes=5-9\r\n")));
  CHECK_FALSE(AcknowledgedOffset(Answer(308, "", "Range: bytes=0-\r\n")));
}

TEST_CASE("completed upload answers give the video id") {
  CHECK(ParseVideoId(R"({"kind":"youtube#video","etag":"x","id":"dQw4w9WgXcQ","snippet":{}})") ==
        "dQw4w9WgXcQ");
  CHECK(ParseVideoId(R"({"kind":"youtube#video","id":"dQw4)").empty());
  CHECK(ParseVideoId(R"({"kind":"youtube#playlist","id":"x"})").empty());
}

TEST_CASE("token endpoint answers") {
  auto t = ParseTokenAnswer(
      R"({"access_token":"ya29.a0","expires_in":3599,"scope":"s","token_type":"Bearer"})");
  REQUIRE(t);
  CHECK(t->expires_in_s == 3599);
  CHECK(t->refresh_token.empty());
  CHECK_FALSE(ParseTokenAnswer(R"({"expires_in":3599})"));
  CHECK_FALSE(ParseTokenAnswer(R"({"access_token":"ya29)"));
  auto e = ParseGoogleError(Answer(
      400,
      R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})"));
  REQUIRE(e);
  CHECK(e->reason == "invalid_grant");
}

TEST_CASE("YouTube errors by reason") {
  const int64_t now = 1'700'000'000'000;
  auto classify = [&](int status, const std::string& body, std::string headers = {}) {
    herald::Response r = Answer(status, body, std::move(headers));
    auto e = ParseGoogleError(r);
    REQUIRE(e);
    return ClassifyGoogleError(*e, r, now, "uploading");
  };
  auto quota = classify(
      403,
      R"({"error":{"code":403,"message":"The request cannot be completed because you have exceeded your quota.","errors":[{"message":"...","domain":"youtube.quota","reason":"quotaExceeded"}]}})");
  // The host computes the reset (midnight Pacific) from describe()'s quota.
  CHECK(quota.kind() == herald::OutcomeKind::kQuotaExhausted);
  CHECK(quota.at_ms() == 0);
  CHECK(quota.platform_code() == "quotaExceeded");
  auto backend = classify(
      503,
      R"({"error":{"code":503,"message":"Backend Error","errors":[{"reason":"backendError"}]}})");
  CHECK(backend.kind() == herald::OutcomeKind::kRetry);
  auto rate = classify(
      403, R"({"error":{"code":403,"message":"x","errors":[{"reason":"rateLimitExceeded"}]}})",
      "Retry-After: 12\r\n");
  CHECK(rate.at_ms() == now + 12'000);
  auto title = classify(
      400,
      R"({"error":{"code":400,"message":"invalid title","errors":[{"reason":"invalidTitle"}]}})");
  CHECK(title.kind() == herald::OutcomeKind::kFailed);
  CHECK(title.platform_code() == "invalidTitle");
  auto truncated = classify(400, R"({"error":{"code":400,"mess)");
  CHECK(truncated.kind() == herald::OutcomeKind::kFailed);
  auto gateway = classify(502, "<html>");
  CHECK(gateway.kind() == herald::OutcomeKind::kRetry);
  CHECK_FALSE(ParseGoogleError(Answer(308, "")));
}

TEST_CASE("statistics come as strings") {
  auto s = ParseVideoStatistics(
      R"({"kind":"youtube#videoListResponse","items":[{"id":"v1","statistics":{"viewCount":"120","likeCount":"7","favoriteCount":"0","commentCount":"2"}}]})");
  REQUIRE(s);
  CHECK(*s == R"("v1":{"views":120,"likes":7,"comments":2})");
  CHECK_FALSE(ParseVideoStatistics(R"({"items":[{"id":"v1"}]})"));
  CHECK_FALSE(ParseVideoStatistics(R"({"items":[{"id":"v1","stat)"));
}

TEST_CASE("a 503 with Retry-After: 8 asks to wait 8 s") {
  const int64_t now = 1'700'000'000'000;
  herald::Response r = Answer(
      503,
      R"({"error":{"code":503,"message":"Backend Error","errors":[{"reason":"backendError"}]}})",
      "Retry-After: 8\r\n");
  auto o = ClassifyGoogleError(*ParseGoogleError(r), r, now, "uploading");
  CHECK(o.kind() == herald::OutcomeKind::kRetry);
  CHECK(o.at_ms() == now + 8'000);
  herald::Response bare = Answer(503, "<html>", "Retry-After: 8\r\n");
  CHECK(ClassifyGoogleError(*ParseGoogleError(bare), bare, now, "x").at_ms() == now + 8'000);
  herald::Response none = Answer(503, "<html>");
  CHECK(ClassifyGoogleError(*ParseGoogleError(none), none, now, "x").at_ms() == 0);
  // An HTTP-date 8 s ahead reads the same.
  herald::Response dated = Answer(429, "", "Retry-After: Tue, 14 Nov 2023 22:13:28 GMT\r\n");
  CHECK(ClassifyGoogleError(*ParseGoogleError(dated), dated, now, "x").at_ms() == now + 8'000);
}

TEST_CASE("Retry-After is honoured while opening, uploading, refreshing and on the thumbnail") {
  SECTION("opening the session") {
    Channel ch;
    ch.host.On("POST", "uploadType=resumable", Canned::Answer(503, "", "Retry-After: 8\r\n"));
    herald::Outcome o = ch.Step(std::nullopt);
    CHECK(o.kind() == herald::OutcomeKind::kRetry);
    CHECK(o.at_ms() == ch.host.now_ms + 8'000);
  }
  SECTION("a chunk answered 503") {
    Channel ch;
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(503, "", "Retry-After: 8\r\n"));
    herald::Outcome o = ch.Step(cp);
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    CHECK(o.at_ms() == ch.host.now_ms + 8'000);
    CHECK(ch.host.seen().back().Header("Content-Range") == "bytes 0-999/1000");
  }
  SECTION("the token endpoint answered 503") {
    Channel ch;
    ch.host.credentials.erase("access_token");
    ch.host.credentials["refresh_token"] = "1//refresh";
    ch.host.credentials["client_id"] = "cid";
    ch.host.credentials["client_secret"] = "csecret";
    ch.host.On("POST", "/token", Canned::Answer(503, "", "Retry-After: 8\r\n"));
    herald::Outcome o = ch.Step(std::nullopt);
    CHECK(o.kind() == herald::OutcomeKind::kRetry);
    CHECK(o.at_ms() == ch.host.now_ms + 8'000);
  }
  SECTION("the thumbnail answered 503") {
    Channel ch;
    ch.post.post_json = R"({"options":{"title":"Clip"},"media":[{"cover":"/media/cover.jpg"}]})";
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(201, kVideo));
    herald::Outcome uploaded = ch.Step(cp);
    REQUIRE(uploaded.kind() == herald::OutcomeKind::kContinue);
    ch.host.On("POST", "/thumbnails/set?videoId=vid1",
               Canned::Answer(503, "", "Retry-After: 8\r\n"));
    herald::Outcome o = ch.Step(uploaded.checkpoint());
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    CHECK(o.at_ms() == ch.host.now_ms + 8'000);
  }
}
