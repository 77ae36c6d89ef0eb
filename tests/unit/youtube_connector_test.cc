// YouTube connector: parsing of Data API v3 and OAuth answers (bodies as the
// API reference documents them), malformed and truncated bodies, error
// classification and the quota reset time.
#include <catch2/catch.hpp>

#include "youtube/google_errors.h"
#include "youtube/oauth_tokens.h"
#include "youtube/resumable_upload.h"
#include "youtube/video_statistics.h"

using namespace herald::connectors::youtube;

namespace {
herald::Response Answer(int status, std::string body, std::string headers = {}) {
  herald::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}
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
  // Found by tests/fuzz's youtube_answers target: a lifetime no int64 holds
  // was converted (undefined), and one that fits overflowed the expiry sum.
  for (const char* lifetime :
       {"3599666666666666666666666666666", "1e87", "9223372036854775807", "-5", "0"}) {
    INFO(lifetime);
    auto odd = ParseTokenAnswer(std::string(R"({"access_token":"ya29.a0","expires_in":)") +
                                lifetime + "}");
    REQUIRE(odd);
    CHECK(odd->expires_in_s == 3600);
  }
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
