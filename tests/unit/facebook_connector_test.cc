// Facebook connector: parsing of Graph answers (bodies as documented for
// Graph API v26.0 and the Resumable Upload API), malformed and truncated
// bodies, error classification, and the Graph version table.
#include <catch2/catch.hpp>

#include "common/checkpoint.h"
#include "common/graph_api.h"
#include "common/graph_versions.h"
#include "common/json_util.h"
#include "facebook/facebook_connector.h"
#include "support/canned_host.h"

using namespace herald::connectors;
using namespace herald::connectors::facebook;
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
}  // namespace

TEST_CASE("feed and photo answers give the post id") {
  CHECK(ParseCreatedPostId(R"({"id":"104000000000001_123"})") == "104000000000001_123");
  CHECK(ParseCreatedPostId(R"({"id":"555","post_id":"104_555"})") == "104_555");
  CHECK(ParseCreatedPostId(R"({"id":"104_5)").empty());  // truncated
  CHECK(ParseCreatedPostId("<html>bad gateway</html>").empty());
  CHECK(ParseCreatedPostId("[]").empty());
}

TEST_CASE("published_posts listing is read with its cursor") {
  auto listing = ParsePostListing(
      R"({"data":[{"id":"1_2","message":"Hi","created_time":"2026-11-25T23:05:26+0000",
      "permalink_url":"https://www.facebook.com/1/posts/2"}],
      "paging":{"cursors":{"before":"b","after":"a1"},"next":"https://graph/next"}})");
  REQUIRE(listing);
  REQUIRE(listing->posts.size() == 1);
  CHECK(listing->posts[0].message == "Hi");
  CHECK(listing->posts[0].created_ms == 1795647926000);
  CHECK(listing->next_after == "a1");
  auto last = ParsePostListing(R"({"data":[],"paging":{"cursors":{"after":"x"}}})");
  REQUIRE(last);
  CHECK(last->next_after.empty());  // no "next": the last page
  CHECK_FALSE(ParsePostListing(R"({"data":[{"id":"1_2","created_time":"yesterday"}]})"));
  CHECK_FALSE(ParsePostListing(R"({"data":[{"id":"1_2")"));
  CHECK_FALSE(ParsePostListing(R"({"error":{"code":1}})"));
}

TEST_CASE("post metrics read the summaries; shares omitted at zero") {
  auto m = ParsePostMetrics(
      R"({"id":"1_2","likes":{"data":[],"summary":{"total_count":7}},
      "comments":{"data":[],"summary":{"total_count":2,"can_comment":true}},"shares":{"count":3}})");
  REQUIRE(m);
  CHECK(*m == R"({"likes":7,"comments":2,"shares":3})");
  auto zero = ParsePostMetrics(R"({"id":"1_2"})");
  REQUIRE(zero);
  CHECK(*zero == R"({"likes":0,"comments":0,"shares":0})");
  CHECK_FALSE(ParsePostMetrics(R"({"likes":{"summary")"));
}

TEST_CASE("Graph errors are classified by their documented codes") {
  const int64_t now = 1'000'000;
  auto classify = [&](int status, const std::string& body, std::string headers = {}) {
    herald::Response r = Answer(status, body, std::move(headers));
    auto e = ParseGraphError(r);
    REQUIRE(e);
    return ClassifyGraphError(*e, r, now, "posting");
  };
  auto expired = classify(
      400,
      R"({"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"x"}})");
  CHECK(expired.kind() == herald::OutcomeKind::kAuthExpired);
  CHECK(expired.platform_code() == "190/463");
  auto transient = classify(500, R"({"error":{"message":"An unknown error occurred","code":1}})");
  CHECK(transient.kind() == herald::OutcomeKind::kRetry);
  auto service = classify(
      503,
      R"({"error":{"message":"Service temporarily unavailable","code":2,"is_transient":true}})");
  CHECK(service.kind() == herald::OutcomeKind::kRetry);
  auto limited =
      classify(400, R"({"error":{"message":"(#32) Page request limit reached","code":32}})",
               "X-Business-Use-Case-Usage: "
               "{\"104\":[{\"type\":\"pages\",\"call_count\":100,\"estimated_time_to_regain_"
               "access\":7}]}\r\n");
  CHECK(limited.kind() == herald::OutcomeKind::kRetry);
  CHECK(limited.at_ms() == now + 7 * 60'000);
  // Found by tests/fuzz's graph_answers target: a code or an estimate no
  // int64 holds was converted (undefined), and a large one overflowed.
  auto huge =
      classify(400, R"({"error":{"message":"(#32) Page request limit reached","code":1e87}})",
               "X-Business-Use-Case-Usage: {\"104\":[{\"estimated_time_to_regain_access\":"
               "999999999999999999}]}\r\n");
  CHECK(huge.kind() == herald::OutcomeKind::kFailed);  // code unreadable: not a known code
  herald::Response slow =
      Answer(400, R"({"error":{"code":32}})",
             "X-Business-Use-Case-Usage: {\"104\":[{\"estimated_time_to_regain_access\":"
             "999999999999999999},{\"estimated_time_to_regain_access\":1e300}]}\r\n");
  CHECK(GraphRateLimitResumeMs(slow, now) == now + 24 * 3600'000);
  auto retry_after =
      classify(429, R"({"error":{"message":"(#613) Calls exceed the rate","code":613}})",
               "Retry-After: 30\r\n");
  CHECK(retry_after.at_ms() == now + 30'000);
  auto param = classify(400, R"({"error":{"message":"(#100) Invalid parameter","code":100}})");
  CHECK(param.kind() == herald::OutcomeKind::kFailed);
  CHECK(param.reason().find("Invalid parameter") != std::string::npos);
  auto policy = classify(
      400, R"({"error":{"message":"It looks like you were misusing this feature","code":368}})");
  CHECK(policy.kind() == herald::OutcomeKind::kFailed);
  auto gateway = classify(502, "<html>Bad Gateway</html>");
  CHECK(gateway.kind() == herald::OutcomeKind::kRetry);
  auto truncated = classify(400, R"({"error":{"message":"(#100) Inva)");
  CHECK(truncated.kind() == herald::OutcomeKind::kFailed);
  CHECK_FALSE(ParseGraphError(Answer(200, R"({"id":"1"})")));
}

TEST_CASE("captions carry the link only once") {
  CHECK(CaptionWithLink("Hello", std::string_view("https://x.example/a")) ==
        "Hello\nhttps://x.example/a");
  CHECK(CaptionWithLink("See https://x.example/a", std::string_view("https://x.example/a")) ==
        "See https://x.example/a");
  CHECK(CaptionWithLink("Hello", std::nullopt) == "Hello");
}

TEST_CASE("checkpoints round-trip and refuse foreign text") {
  Checkpoint cp;
  cp.Set("ph", "photos").SetList("photos", {"1", "2"}).Set("odd", "a=b&c");
  auto back = Checkpoint::Decode(cp.Encode());
  REQUIRE(back);
  CHECK(back->GetList("photos") == std::vector<std::string>{"1", "2"});
  CHECK(back->Get("odd") == "a=b&c");
  CHECK_FALSE(Checkpoint::Decode("container=123"));
  CHECK_FALSE(Checkpoint::Decode("v1:=x"));
  CHECK(Checkpoint::Decode("v1:n=abc")->GetInt("n", 5) == 5);
}

TEST_CASE("ISO times from Graph and Google") {
  CHECK(ParseIsoTimeMs("1970-01-01T00:00:01+0000") == 1000);
  CHECK(ParseIsoTimeMs("1970-01-01T00:00:01.250Z") == 1250);
  CHECK(ParseIsoTimeMs("1970-01-01T01:00:00+01:00") == 0);
  CHECK_FALSE(ParseIsoTimeMs("1970-01-01"));
  CHECK_FALSE(ParseIsoTimeMs("1970-01-01T00:00:01 junk"));
}

TEST_CASE("Resumable Upload API answers") {
  CHECK(ParseUploadSession(R"({"id":"upload:MTphdHRh=?sig=ARZq"})") == "upload:MTphdHRh=?sig=ARZq");
  CHECK_FALSE(ParseUploadSession(R"({"id":"12345"})"));  // not a session id
  CHECK_FALSE(ParseUploadSession(R"({"id":"upload:"})"));
  CHECK_FALSE(ParseUploadSession(R"({"id":"upload:MTph)"));  // truncated

  auto done = ParseUploadProgress(R"({"h":"2:c2FtcGxl"})");
  REQUIRE(done);
  CHECK(done->handle == "2:c2FtcGxl");
  CHECK(done->file_offset == -1);
  auto partial = ParseUploadProgress(R"({"id":"upload:x","file_offset":4096})");
  REQUIRE(partial);
  CHECK(partial->file_offset == 4096);
  CHECK(partial->handle.empty());
  CHECK(ParseUploadProgress(R"({"file_offset":"8192"})")->file_offset == 8192);  // as text
  CHECK_FALSE(ParseUploadProgress(R"({"file_offset":-5})"));
  CHECK_FALSE(ParseUploadProgress("<html>"));
}

TEST_CASE("the Page's videos are listed by description") {
  auto listing = ParsePostListing(
      R"({"data":[{"id":"901","description":"Behind the counter","created_time":"2026-12-01T10:00:00+0000"}]})",
      "description");
  REQUIRE(listing);
  CHECK(listing->posts.at(0).message == "Behind the counter");
  CHECK(listing->next_after.empty());
}

TEST_CASE("the Graph version table") {
  // The default is a version herald knows, released, and not the newest
  // unless its changelog was checked (docs/connectors/facebook.md).
  const GraphVersion* def = FindGraphVersion(kDefaultGraphVersion);
  REQUIRE(def != nullptr);
  CHECK(std::string(def->released) <= NewestGraphVersion().released);
  CHECK(std::string(FindGraphVersion("v21.0")->expires) == "2027-01-21");
  CHECK(std::string(FindGraphVersion("v25.0")->expires) == "2028-07-29");
  CHECK(FindGraphVersion("v99.0") == nullptr);
  CHECK(IsGraphVersionName("v26.0"));
  CHECK(IsGraphVersionName("v2.12"));
  CHECK_FALSE(IsGraphVersionName("26.0"));
  CHECK_FALSE(IsGraphVersionName("v26"));
  CHECK_FALSE(IsGraphVersionName("v26.x"));

  herald::ApiVersion known = GraphApiVersion("v22.0");
  CHECK(known.released == "2025-01-21");
  CHECK(known.expires == "2027-05-20");
  herald::ApiVersion unknown = GraphApiVersion("v30.0");
  CHECK(unknown.version == "v30.0");
  CHECK(unknown.released.empty());
  CHECK(
      herald::Limits().Api(known).ToJson() ==
      R"({"api":{"name":"Graph API","version":"v22.0","released":"2025-01-21","expires":"2027-05-20"}})");
}

TEST_CASE("a 503 with Retry-After: 8 asks to wait 8 s, whatever the body") {
  const int64_t now = 1'000'000;
  auto classify = [&](int status, const std::string& body, std::string headers) {
    herald::Response r = Answer(status, body, std::move(headers));
    auto e = ParseGraphError(r);
    REQUIRE(e);
    return ClassifyGraphError(*e, r, now, "posting");
  };
  auto transient = classify(
      503,
      R"({"error":{"message":"Service temporarily unavailable","code":2,"is_transient":true}})",
      "Retry-After: 8\r\n");
  CHECK(transient.kind() == herald::OutcomeKind::kRetry);
  CHECK(transient.at_ms() == now + 8'000);
  auto bare = classify(503, "<html>Service Unavailable</html>", "Retry-After: 8\r\n");
  CHECK(bare.kind() == herald::OutcomeKind::kRetry);
  CHECK(bare.at_ms() == now + 8'000);
  auto server_error = classify(500, R"({"error":{"message":"x","code":1}})", "retry-after: 8\r\n");
  CHECK(server_error.at_ms() == now + 8'000);
  // Without the header the host's backoff decides; an unreadable one is ignored.
  CHECK(classify(503, "<html>", "").at_ms() == 0);
  CHECK(classify(503, "<html>", "Retry-After: soon\r\n").at_ms() == 0);
  // A proxy's 4xx without a Graph code that asks to come back is a wait.
  auto proxy = classify(403, "<html>slow down</html>", "Retry-After: 8\r\n");
  CHECK(proxy.kind() == herald::OutcomeKind::kRetry);
  CHECK(proxy.at_ms() == now + 8'000);
  // A documented permanent code stays a failure.
  CHECK(classify(400, R"({"error":{"message":"bad","code":100}})", "Retry-After: 8\r\n").kind() ==
        herald::OutcomeKind::kFailed);
}

TEST_CASE("a feed post answered 503 with Retry-After: 8 is retried 8 s later") {
  CannedHost host;
  host.credentials["access_token"] = "page-token";
  herald::Account account{"facebook", "page", std::string("https://graph.test"),
                          R"({"page_id":"104"})"};
  FacebookConnector fb(host.host(), account);
  host.On("POST", "/104/feed", Canned::Answer(503, "", "Retry-After: 8\r\n"));
  TestPost post;
  herald::Outcome o = fb.Step(post.view(), std::nullopt);
  CHECK(o.kind() == herald::OutcomeKind::kRetry);
  CHECK(o.at_ms() == host.now_ms + 8'000);
  CHECK(o.http_status() == 503);
  CHECK(host.unanswered().empty());
}

// ------------------------------------------------- the step state machine

namespace {

// A Page with a token, on a test Graph host.
struct Page {
  CannedHost host;
  TestPost post;
  std::optional<FacebookConnector> fb;
  explicit Page(std::string settings = R"({"page_id":"104","app_id":"app1"})") {
    host.credentials["access_token"] = "page-token";
    fb.emplace(host.host(),
               herald::Account{"facebook", "page", std::string("https://graph.test"), settings});
  }
  herald::Outcome Step(std::optional<std::string> checkpoint = std::nullopt) {
    if (!checkpoint) return fb->Step(post.view(), std::nullopt);
    return fb->Step(post.view(), std::string_view(*checkpoint));
  }
};

herald::testing::TestMedium Photo(int n) {
  herald::testing::TestMedium m;
  m.path = "/media/p" + std::to_string(n) + ".jpg";
  m.public_url = "https://media.test/p" + std::to_string(n) + ".jpg";
  return m;
}

struct StatusCase {
  int status;
  std::string body;
  herald::OutcomeKind kind;
};

// What a request that creates the post may get, and what each means.
std::vector<StatusCase> CreatingCases() {
  using K = herald::OutcomeKind;
  return {
      {200, R"({"id":"104_1"})", K::kPublished},
      {201, R"({"id":"104_1"})", K::kPublished},
      {200, "<html>", K::kUnknown},  // accepted, but no id: it may exist
      {202, "{}", K::kUnknown},
      {204, "", K::kUnknown},
      {301, "", K::kFailed},
      {304, "", K::kFailed},
      {400, R"({"error":{"message":"(#100) bad","code":100}})", K::kFailed},
      {400, R"({"error":{"message":"expired","code":190,"error_subcode":463}})", K::kAuthExpired},
      {403, R"({"error":{"message":"perm","code":200}})", K::kAuthExpired},
      {404, "", K::kFailed},
      {418, "", K::kFailed},
      {400, R"({"error":{"message":"limit","code":32}})", K::kRetry},
      {429, "", K::kRetry},
      {500, R"({"error":{"message":"unknown","code":1}})", K::kRetry},
      {502, "<html>", K::kRetry},
      {503, "", K::kRetry},
  };
}

}  // namespace

TEST_CASE("a text post: every status /feed can answer has an outcome", "[facebook][steps]") {
  for (const StatusCase& c : CreatingCases()) {
    CAPTURE(c.status, c.body);
    Page page;
    page.post.link = "https://shop.test/a";
    page.host.On("POST", "/104/feed", Canned::Answer(c.status, c.body));
    herald::Outcome o = page.Step();
    CHECK(o.kind() == c.kind);
    REQUIRE(page.host.seen().size() == 1);
    CHECK(page.host.seen()[0].body.find("message=Hello") != std::string::npos);
    CHECK(page.host.seen()[0].body.find("link=https%3A%2F%2Fshop.test%2Fa") != std::string::npos);
    if (o.kind() == herald::OutcomeKind::kPublished) {
      CHECK(o.remote_id() == "104_1");
      CHECK(o.url() == "https://www.facebook.com/104_1");
    } else if (o.kind() != herald::OutcomeKind::kUnknown) {
      CHECK(o.http_status() == c.status);
    }
  }
  Page lost;
  lost.host.On("POST", "/104/feed", Canned::Transport(HERALD_ERR_HTTP_NO_RESPONSE, "reset"));
  CHECK(lost.Step().kind() == herald::OutcomeKind::kUnknown);
  Page refused;
  refused.host.On("POST", "/104/feed", Canned::Transport(HERALD_ERR_HTTP_NOT_SENT, "refused"));
  CHECK(refused.Step().kind() == herald::OutcomeKind::kRetry);
}

TEST_CASE("one photo: every status /photos can answer has an outcome", "[facebook][steps]") {
  for (const StatusCase& c : CreatingCases()) {
    CAPTURE(c.status, c.body);
    Page page;
    page.post.media = {Photo(1)};
    page.host.On("POST", "/104/photos", Canned::Answer(c.status, c.body));
    CHECK(page.Step().kind() == c.kind);
    CHECK(page.host.seen().at(0).body.find("url=https%3A%2F%2Fmedia.test%2Fp1.jpg") !=
          std::string::npos);
  }
}

TEST_CASE("several photos: each uploaded unpublished in its own step, then one feed post",
          "[facebook][steps]") {
  Page page;
  page.post.media = {Photo(1), Photo(2)};
  page.host.On("POST", "/104/photos", Canned::Answer(200, R"({"id":"p1"})"));
  herald::Outcome first = page.Step();
  REQUIRE(first.kind() == herald::OutcomeKind::kContinue);
  CHECK(page.host.seen().back().body.find("published=false") != std::string::npos);
  page.host.On("POST", "/104/photos", Canned::Answer(200, R"({"id":"p2"})"));
  herald::Outcome second = page.Step(first.checkpoint());
  REQUIRE(second.kind() == herald::OutcomeKind::kContinue);
  page.host.On("POST", "/104/feed", Canned::Answer(200, R"({"id":"104_9"})"));
  herald::Outcome done = page.Step(second.checkpoint());
  REQUIRE(done.kind() == herald::OutcomeKind::kPublished);
  CHECK(done.remote_id() == "104_9");
  const std::string& feed = page.host.seen().back().body;
  CHECK(feed.find("attached_media%5B0%5D") != std::string::npos);
  CHECK(feed.find("p2") != std::string::npos);
  CHECK(page.host.unanswered().empty());

  // An unpublished photo is invisible: a lost or odd answer is retried, never unknown.
  using K = herald::OutcomeKind;
  for (const StatusCase& c : std::vector<StatusCase>{{202, "{}", K::kRetry},
                                                     {204, "", K::kRetry},
                                                     {302, "", K::kFailed},
                                                     {400, "", K::kFailed},
                                                     {500, "", K::kRetry}}) {
    CAPTURE(c.status);
    Page p;
    p.post.media = {Photo(1), Photo(2)};
    p.host.On("POST", "/104/photos", Canned::Answer(c.status, c.body));
    CHECK(p.Step().kind() == c.kind);
  }
  Page lost;
  lost.post.media = {Photo(1), Photo(2)};
  lost.host.On("POST", "/104/photos", Canned::Transport(HERALD_ERR_HTTP_NO_RESPONSE, "reset"));
  CHECK(lost.Step().kind() == herald::OutcomeKind::kRetry);
}

TEST_CASE("a video: session, bytes, publish; every status at each has an outcome",
          "[facebook][steps]") {
  auto video_page = [] {
    auto page = std::make_unique<Page>();
    herald::testing::TestMedium v;
    v.kind = HERALD_MEDIA_VIDEO;
    v.path = "/media/clip.mp4";
    v.mime_type = "video/mp4";
    v.size_bytes = 1000;
    page->post.media = {v};
    return page;
  };
  auto page = video_page();
  page->host.On("POST", "/app1/uploads", Canned::Answer(200, R"({"id":"upload:MTp4"})"));
  herald::Outcome session = page->Step();
  REQUIRE(session.kind() == herald::OutcomeKind::kContinue);
  page->host.On("POST", "/upload:MTp4", Canned::Answer(200, R"({"h":"2:handle"})"));
  herald::Outcome bytes = page->Step(session.checkpoint());
  REQUIRE(bytes.kind() == herald::OutcomeKind::kContinue);
  CHECK(page->host.seen().back().Header("file_offset") == "0");
  CHECK(page->host.seen().back().file_range == "/media/clip.mp4@0+1000");
  page->host.On("POST", "/104/videos", Canned::Answer(200, R"({"id":"v77"})"));
  herald::Outcome done = page->Step(bytes.checkpoint());
  REQUIRE(done.kind() == herald::OutcomeKind::kPublished);
  CHECK(done.remote_id() == "v77");
  CHECK(page->host.unanswered().empty());

  using K = herald::OutcomeKind;
  SECTION("the session request") {
    for (const StatusCase& c : std::vector<StatusCase>{{202, "{}", K::kRetry},
                                                       {204, "", K::kRetry},
                                                       {302, "", K::kFailed},
                                                       {400, "", K::kFailed},
                                                       {500, "", K::kRetry}}) {
      CAPTURE(c.status);
      auto p = video_page();
      p->host.On("POST", "/app1/uploads", Canned::Answer(c.status, c.body));
      CHECK(p->Step().kind() == c.kind);
    }
  }
  SECTION("the bytes") {
    // Odd answers and 5xx ask the session for its offset; a refused chunk too, once.
    for (const StatusCase& c : std::vector<StatusCase>{{202, "{}", K::kContinue},
                                                       {204, "", K::kContinue},
                                                       {302, "", K::kContinue},
                                                       {400, "", K::kContinue},
                                                       {404, "", K::kContinue},
                                                       {500, "", K::kContinue}}) {
      CAPTURE(c.status);
      page->host.On("POST", "/upload:MTp4", Canned::Answer(c.status, c.body));
      herald::Outcome o = page->Step(session.checkpoint());
      CHECK(o.kind() == c.kind);
    }
  }
  SECTION("bytes answered 503 with Retry-After: 8 wait 8 s, then ask for the offset") {
    page->host.On("POST", "/upload:MTp4", Canned::Answer(503, "", "Retry-After: 8\r\n"));
    herald::Outcome o = page->Step(session.checkpoint());
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    CHECK(o.at_ms() == page->host.now_ms + 8'000);
    CHECK(Checkpoint::Decode(o.checkpoint())->GetInt("q") == 1);
  }
  SECTION("the publish") {
    for (const StatusCase& c : CreatingCases()) {
      CAPTURE(c.status, c.body);
      page->host.On("POST", "/104/videos", Canned::Answer(c.status, c.body));
      herald::Outcome o = page->Step(bytes.checkpoint());
      CHECK(o.kind() == c.kind);
    }
  }
}
