// YouTube connector: parsing of Data API v3 and OAuth answers (bodies as the
// API reference documents them), malformed and truncated bodies, error
// classification and the quota reset time.
#include <catch2/catch.hpp>

#include <algorithm>

#include "common/checkpoint.h"
#include "support/canned_host.h"
#include "youtube/google_errors.h"
#include "youtube/oauth_tokens.h"
#include "youtube/resumable_upload.h"
#include "youtube/video_statistics.h"
#include "youtube/youtube_connector.h"

using namespace herald::connectors::youtube;
using herald::connectors::Checkpoint;
using herald::testing::Canned;
using herald::testing::CannedHost;
using herald::testing::SeenRequest;
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

// ------------------------------------------------- the step state machine

TEST_CASE("a video goes up in chunks and is published", "[youtube][steps]") {
  Channel ch(R"({"chunk_bytes":"262144"})");
  ch.post.media[0].size_bytes = 300'000;
  std::string cp = ch.Started();
  const SeenRequest& open = ch.host.seen().back();
  CHECK(open.Header("X-Upload-Content-Length") == "300000");
  CHECK(open.Header("Authorization") == "Bearer ya29.token");
  CHECK(open.body.find("\"title\":\"Clip\"") != std::string::npos);

  ch.host.On("PUT", "upload_id=s1", Canned::Answer(308, "", "Range: bytes=0-262143\r\n"));
  herald::Outcome first = ch.Step(cp);
  REQUIRE(first.kind() == herald::OutcomeKind::kContinue);
  CHECK(ch.host.seen().back().Header("Content-Range") == "bytes 0-262143/300000");
  CHECK(ch.host.seen().back().file_range == "/media/clip.mp4@0+262144");

  ch.host.On("PUT", "upload_id=s1", Canned::Answer(201, kVideo));
  herald::Outcome done = ch.Step(first.checkpoint());
  CHECK(ch.host.seen().back().Header("Content-Range") == "bytes 262144-299999/300000");
  REQUIRE(done.kind() == herald::OutcomeKind::kPublished);
  CHECK(done.remote_id() == "vid1");
  CHECK(done.url() == "https://www.youtube.com/watch?v=vid1");
  CHECK(ch.host.unanswered().empty());
  CHECK(ch.host.pending() == 0);
}

TEST_CASE("every status the upload session can answer a chunk with has an outcome",
          "[youtube][steps]") {
  // 202/204 once dereferenced an empty optional: now they ask the session.
  for (int status : {202, 204, 206}) {
    CAPTURE(status);
    Channel ch;
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(status, ""));
    herald::Outcome o = ch.Step(cp);
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    // The next step asks where the upload stands, and goes on from there.
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(308, "", "Range: bytes=0-999\r\n"));
    ch.host.now_ms = o.at_ms();
    herald::Outcome asked = ch.Step(o.checkpoint());
    CHECK(ch.host.seen().back().Header("Content-Range") == "bytes */1000");
    REQUIRE(asked.kind() == herald::OutcomeKind::kContinue);
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(200, kVideo));
    CHECK(ch.Step(asked.checkpoint()).kind() == herald::OutcomeKind::kPublished);
    CHECK(ch.host.unanswered().empty());
  }
  struct Case {
    int status;
    std::string body;
    herald::OutcomeKind kind;
  };
  const std::string quota =
      R"({"error":{"code":403,"message":"quota","errors":[{"reason":"quotaExceeded"}]}})";
  const std::string rate =
      R"({"error":{"code":403,"message":"slow","errors":[{"reason":"rateLimitExceeded"}]}})";
  for (const Case& c : std::vector<Case>{
           {301, "", herald::OutcomeKind::kFailed},
           {302, "<html>moved</html>", herald::OutcomeKind::kFailed},
           {400, R"({"error":{"code":400,"message":"bad","errors":[{"reason":"badContent"}]}})",
            herald::OutcomeKind::kFailed},
           {403, quota, herald::OutcomeKind::kQuotaExhausted},
           {403, rate, herald::OutcomeKind::kRetry},
           {418, "", herald::OutcomeKind::kFailed},
           {429, "", herald::OutcomeKind::kRetry},
           {404, "", herald::OutcomeKind::kContinue},  // the session is gone: a new one
           {410, "", herald::OutcomeKind::kContinue},
           {500, "", herald::OutcomeKind::kContinue},  // ask the session, then go on
           {503, "<html>", herald::OutcomeKind::kContinue},
       }) {
    CAPTURE(c.status, c.body);
    Channel ch;
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(c.status, c.body));
    herald::Outcome o = ch.Step(cp);
    CHECK(o.kind() == c.kind);
    if (o.kind() != herald::OutcomeKind::kContinue) CHECK(o.http_status() == c.status);
    if (c.status == 404 || c.status == 410) {
      auto next = Checkpoint::Decode(o.checkpoint());
      REQUIRE(next);
      CHECK(next->Get("u").empty());  // the next step opens a new session
    }
  }
  SECTION("transport errors") {
    Channel ch;
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Transport(HERALD_ERR_HTTP_NO_RESPONSE, "reset"));
    herald::Outcome lost = ch.Step(cp);
    REQUIRE(lost.kind() == herald::OutcomeKind::kContinue);
    CHECK(Checkpoint::Decode(lost.checkpoint())->GetInt("q") == 1);  // ask before resending
    ch.host.On("PUT", "upload_id=s1", Canned::Transport(HERALD_ERR_HTTP_BODY, "file gone"));
    CHECK(ch.Step(cp).kind() == herald::OutcomeKind::kFailed);
  }
}

TEST_CASE("every status opening the session can get has an outcome", "[youtube][steps]") {
  struct Case {
    int status;
    std::string headers;
    herald::OutcomeKind kind;
  };
  for (const Case& c : std::vector<Case>{
           {200, "", herald::OutcomeKind::kRetry},  // no Location: nothing opened
           {201, std::string("Location: ") + kSession + "\r\n", herald::OutcomeKind::kContinue},
           {204, "", herald::OutcomeKind::kRetry},
           {308, "", herald::OutcomeKind::kRetry},
           {200, "Location: https://elsewhere.test/up\r\n", herald::OutcomeKind::kFailed},
           {302, "Location: https://yt.test/x\r\n", herald::OutcomeKind::kFailed},
           {400, "", herald::OutcomeKind::kFailed},
           {429, "", herald::OutcomeKind::kRetry},
           {500, "", herald::OutcomeKind::kRetry},
       }) {
    CAPTURE(c.status, c.headers);
    Channel ch;
    ch.host.On("POST", "uploadType=resumable", Canned::Answer(c.status, "", c.headers));
    CHECK(ch.Step(std::nullopt).kind() == c.kind);
  }
  Channel lost;
  lost.host.On("POST", "uploadType=resumable",
               Canned::Transport(HERALD_ERR_HTTP_NO_RESPONSE, "timeout"));
  CHECK(lost.Step(std::nullopt).kind() == herald::OutcomeKind::kRetry);  // a session is invisible
}

TEST_CASE("every status the token endpoint can answer has an outcome", "[youtube][steps]") {
  struct Case {
    int status;
    std::string body;
    herald::OutcomeKind kind;
  };
  for (const Case& c : std::vector<Case>{
           {200, R"({"access_token":"ya29.new","expires_in":3599})",
            herald::OutcomeKind::kContinue},
           {201, R"({"access_token":"ya29.new","expires_in":3599})",
            herald::OutcomeKind::kContinue},
           {204, "", herald::OutcomeKind::kRetry},  // no token in it: not a refusal
           {302, "", herald::OutcomeKind::kAuthExpired},
           {400, R"({"error":"invalid_grant","error_description":"revoked"})",
            herald::OutcomeKind::kAuthExpired},
           {429, "", herald::OutcomeKind::kRetry},
           {500, "", herald::OutcomeKind::kRetry},
       }) {
    CAPTURE(c.status, c.body);
    Channel ch;
    ch.host.credentials.erase("access_token");
    ch.host.credentials["refresh_token"] = "1//refresh";
    ch.host.credentials["client_id"] = "cid";
    ch.host.credentials["client_secret"] = "csecret";
    ch.host.On("POST", "/token", Canned::Answer(c.status, c.body));
    ch.host.On("POST", "uploadType=resumable",
               Canned::Answer(200, "", std::string("Location: ") + kSession + "\r\n"));
    CHECK(ch.Step(std::nullopt).kind() == c.kind);
    if (c.kind == herald::OutcomeKind::kContinue) {
      CHECK(ch.host.credentials.at("access_token") == "ya29.new");
      CHECK(ch.host.seen().back().Header("Authorization") == "Bearer ya29.new");
    }
  }
}

TEST_CASE("every status the thumbnail can get ends published", "[youtube][steps]") {
  for (int status : {200, 204, 302, 400, 404, 429, 500, 503}) {
    CAPTURE(status);
    Channel ch;
    ch.post.post_json = R"({"options":{"title":"Clip"},"media":[{"cover":"/media/cover.jpg"}]})";
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(201, kVideo));
    herald::Outcome uploaded = ch.Step(cp);
    REQUIRE(uploaded.kind() == herald::OutcomeKind::kContinue);
    std::string thumb = uploaded.checkpoint();
    // Transient answers get up to three tries, then the video stays without it.
    herald::Outcome o = herald::Outcome::Failed("not stepped");
    for (int i = 0; i < 3; ++i) {
      ch.host.On("POST", "/thumbnails/set?videoId=vid1", Canned::Answer(status, ""));
      o = ch.Step(thumb);
      if (o.kind() != herald::OutcomeKind::kContinue) break;
      thumb = o.checkpoint();
    }
    REQUIRE(o.kind() == herald::OutcomeKind::kPublished);
    CHECK(o.remote_id() == "vid1");
    CHECK(ch.host.seen().back().file_range.rfind("/media/cover.jpg@0+", 0) == 0);
  }
}

// ------------------------------------------------ find after a lost answer

namespace {
constexpr const char* kChannels =
    R"({"items":[{"contentDetails":{"relatedPlaylists":{"uploads":"UUchannel"}}}]})";
// The uploads playlist holds an older video with the post's title, since the
// job was due: a title search takes it for the post.
constexpr const char* kSameTitle =
    R"({"items":[{"snippet":{"publishedAt":"2025-03-03T09:00:05Z","title":"Clip",)"
    R"("resourceId":{"videoId":"other1"}}}]})";

void CannedPlaylist(CannedHost& host) {
  host.On("GET", "/youtube/v3/channels", Canned::Answer(200, kChannels));
  host.On("GET", "/youtube/v3/playlistItems", Canned::Answer(200, kSameTitle));
}

bool AskedPlaylist(const CannedHost& host) {
  return std::any_of(host.seen().begin(), host.seen().end(), [](const SeenRequest& r) {
    return r.url.find("/youtube/v3/channels") != std::string::npos ||
           r.url.find("/youtube/v3/playlistItems") != std::string::npos;
  });
}

herald::FindResult FindWith(Channel& ch, std::optional<std::string> checkpoint) {
  ch.post.checkpoint = std::move(checkpoint);
  return ch.yt->Find(ch.post.view());
}
}  // namespace

TEST_CASE("find asks the checkpointed upload session before the playlist", "[youtube][find]") {
  SECTION("an unfinished upload: not found, and the upload goes on from the session's offset") {
    Channel ch(R"({"chunk_bytes":"262144"})");
    ch.post.media[0].size_bytes = 800'000;
    std::string cp = ch.Started();
    CannedPlaylist(ch.host);  // would say "found other1"
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(308, "", "Range: bytes=0-524287\r\n"));
    size_t before = ch.host.seen().size();
    herald::FindResult f = FindWith(ch, cp);
    CHECK(f.kind() == herald::FindKind::kNotFound);
    CHECK(f.reason().find("524288 of 800000") != std::string::npos);
    REQUIRE(ch.host.seen().size() == before + 1);
    const SeenRequest& asked = ch.host.seen().back();
    CHECK(asked.method == "PUT");
    CHECK(asked.url == kSession);
    CHECK(asked.Header("Content-Range") == "bytes */800000");
    CHECK(asked.Header("Authorization") == "Bearer ya29.token");
    CHECK_FALSE(AskedPlaylist(ch.host));

    // The host steps it again from the same checkpoint (offset 0): the step
    // asks the session, then sends from 524288, never from byte 0.
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(308, "", "Range: bytes=0-524287\r\n"));
    herald::Outcome resumed = ch.Step(cp);
    CHECK(ch.host.seen().back().Header("Content-Range") == "bytes */800000");
    REQUIRE(resumed.kind() == herald::OutcomeKind::kContinue);
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(308, "", "Range: bytes=0-786431\r\n"));
    herald::Outcome next = ch.Step(resumed.checkpoint());
    CHECK(ch.host.seen().back().Header("Content-Range") == "bytes 524288-786431/800000");
    CHECK(ch.host.seen().back().file_range == "/media/clip.mp4@524288+262144");
    CHECK(next.kind() == herald::OutcomeKind::kContinue);
  }
  SECTION("a finished upload: found, as the video the session answers with") {
    for (int status : {200, 201}) {
      CAPTURE(status);
      Channel ch;
      std::string cp = ch.Started();
      CannedPlaylist(ch.host);
      ch.host.On("PUT", "upload_id=s1", Canned::Answer(status, kVideo));
      herald::FindResult f = FindWith(ch, cp);
      CHECK(f.kind() == herald::FindKind::kFound);
      CHECK(f.remote_id() == "vid1");
      CHECK(f.url() == "https://www.youtube.com/watch?v=vid1");
      CHECK(ch.host.seen().back().Header("Content-Range") == "bytes */1000");
      CHECK_FALSE(AskedPlaylist(ch.host));
    }
  }
  SECTION("a finished upload with a cover: not found, the next step sets the thumbnail") {
    Channel ch;
    ch.post.post_json = R"({"options":{"title":"Clip"},"media":[{"cover":"/media/cover.jpg"}]})";
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(201, kVideo));
    herald::FindResult f = FindWith(ch, cp);
    CHECK(f.kind() == herald::FindKind::kNotFound);
    CHECK(f.reason().find("vid1") != std::string::npos);
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(201, kVideo));
    herald::Outcome o = ch.Step(cp);
    CHECK(ch.host.seen().back().Header("Content-Range") == "bytes */1000");
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    auto thumb = Checkpoint::Decode(o.checkpoint());
    REQUIRE(thumb);
    CHECK(thumb->Get("vid") == "vid1");
    // Killed while setting it: the video exists, the thumbnail step runs again.
    herald::FindResult again = FindWith(ch, o.checkpoint());
    CHECK(again.kind() == herald::FindKind::kNotFound);
    CHECK_FALSE(AskedPlaylist(ch.host));
  }
  SECTION("no session opened yet: nothing can exist") {
    Channel ch;
    size_t before = ch.host.seen().size();
    CHECK(FindWith(ch, Checkpoint().Set("ph", "upload").Encode()).kind() ==
          herald::FindKind::kNotFound);
    CHECK(ch.host.seen().size() == before);
  }
  SECTION("the session cannot answer now: cannot tell, not a guess from the playlist") {
    Channel ch;
    std::string cp = ch.Started();
    CannedPlaylist(ch.host);
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(503, ""));
    CHECK(FindWith(ch, cp).kind() == herald::FindKind::kCannotTell);
    ch.host.On("PUT", "upload_id=s1", Canned::Transport(HERALD_ERR_HTTP_NO_RESPONSE, "reset"));
    CHECK(FindWith(ch, cp).kind() == herald::FindKind::kCannotTell);
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(308, "", "Range: bytes=0-99999\r\n"));
    CHECK(FindWith(ch, cp).kind() == herald::FindKind::kCannotTell);  // more than the file
    CHECK_FALSE(AskedPlaylist(ch.host));
  }
}

TEST_CASE("find searches the uploads playlist only without a session", "[youtube][find]") {
  SECTION("no checkpoint") {
    Channel ch;
    CannedPlaylist(ch.host);
    herald::FindResult f = FindWith(ch, std::nullopt);
    CHECK(f.kind() == herald::FindKind::kFound);
    CHECK(f.remote_id() == "other1");
    REQUIRE(ch.host.seen().size() == 2);
    CHECK(ch.host.seen()[0].url.find("/youtube/v3/channels?part=contentDetails&mine=true") !=
          std::string::npos);
    CHECK(ch.host.seen()[1].url.find("playlistId=UUchannel") != std::string::npos);
  }
  SECTION("a host of ABI 1.1 shows no checkpoint") {
    Channel ch;
    std::string cp = ch.Started();
    CannedPlaylist(ch.host);
    ch.post.abi_1_1 = true;
    CHECK(FindWith(ch, cp).kind() == herald::FindKind::kFound);
    CHECK(AskedPlaylist(ch.host));
    CHECK(ch.host.unanswered().empty());  // no PUT to the session
  }
  SECTION("the session is gone") {
    Channel ch;
    std::string cp = ch.Started();
    ch.host.On("PUT", "upload_id=s1", Canned::Answer(404, ""));
    CannedPlaylist(ch.host);
    herald::FindResult f = FindWith(ch, cp);
    CHECK(f.kind() == herald::FindKind::kFound);
    CHECK(f.remote_id() == "other1");
    CHECK(ch.host.seen()[ch.host.seen().size() - 3].method == "PUT");
  }
  SECTION("an unreadable checkpoint") {
    Channel ch;
    CannedPlaylist(ch.host);
    CHECK(FindWith(ch, "not a checkpoint").kind() == herald::FindKind::kFound);
  }
}
