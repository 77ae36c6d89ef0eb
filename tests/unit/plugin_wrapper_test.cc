// Tests the header-only C++ wrapper (sdk/include/herald/plugin.hpp) through the
// C function table it generates, the way heraldd calls a plugin.
#include <herald/plugin.hpp>

#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ----------------------------------------------------------- a fake host

struct FakeHost {
  std::vector<std::pair<int, std::string>> logs;
  std::map<std::string, std::string> credentials;
  std::int64_t now = 1'700'000'000'000;
  // What the last http() call saw, and what it answers.
  std::string seen_method, seen_url, seen_body, seen_file;
  std::vector<std::string> seen_headers, seen_parts, seen_secrets;
  std::int32_t http_rc = HERALD_OK;
  std::string answer_headers = "Content-Type: application/json\r\nRetry-After:  30 \r\n";
  std::string answer_body = "{\"id\":\"42\"}";
};

FakeHost* Fake(herald_host_ctx* ctx) { return reinterpret_cast<FakeHost*>(ctx); }

void FakeLog(herald_host_ctx* ctx, int32_t level, const char* message) {
  Fake(ctx)->logs.emplace_back(level, message);
}

int32_t FakeHttp(herald_host_ctx* ctx, const herald_http_request* req, herald_http_response* resp) {
  FakeHost* f = Fake(ctx);
  f->seen_method = req->method;
  f->seen_url = req->url;
  f->seen_headers.clear();
  for (size_t i = 0; i < req->header_count; ++i)
    f->seen_headers.push_back(std::string(req->headers[i].name) + "=" + req->headers[i].value);
  f->seen_body.clear();
  f->seen_file.clear();
  f->seen_parts.clear();
  if (req->body_kind == HERALD_BODY_MEMORY) f->seen_body.assign(req->data, req->size);
  if (req->body_kind == HERALD_BODY_FILE_RANGE)
    f->seen_file = std::string(req->file_path) + "@" + std::to_string(req->file_offset) + "+" +
                   std::to_string(req->file_length);
  if (req->body_kind == HERALD_BODY_MULTIPART) {
    for (size_t i = 0; i < req->part_count; ++i) {
      const herald_multipart_part& p = req->parts[i];
      f->seen_parts.push_back(
          std::string(p.name) + ":" +
          (p.file_path ? std::string("file ") + p.file_path : std::string(p.data, p.size)));
    }
  }
  f->seen_secrets.clear();
  for (size_t i = 0; i < req->secret_count; ++i) f->seen_secrets.emplace_back(req->secrets[i]);
  if (f->http_rc != HERALD_OK) {
    resp->error = "connection refused";
    return f->http_rc;
  }
  resp->status = 200;
  resp->headers = f->answer_headers.data();
  resp->headers_size = f->answer_headers.size();
  resp->body = f->answer_body.data();
  resp->body_size = f->answer_body.size();
  return HERALD_OK;
}

const char* FakeCredentialGet(herald_host_ctx* ctx, const char* key) {
  auto& c = Fake(ctx)->credentials;
  auto it = c.find(key);
  return it == c.end() ? nullptr : it->second.c_str();
}

int32_t FakeCredentialStore(herald_host_ctx* ctx, const char* key, const char* value) {
  if (!value || !*value) return HERALD_ERR_INVALID_ARGUMENT;
  Fake(ctx)->credentials[key] = value;
  return HERALD_OK;
}

int64_t FakeNow(herald_host_ctx* ctx) { return Fake(ctx)->now; }

const herald_host_api kHostApi = {sizeof(herald_host_api), FakeLog, FakeHttp, FakeCredentialGet,
                                  FakeCredentialStore,     FakeNow};

// ---------------------------------------------------- connectors under test

// Has every optional member; its behaviour is steered by the post's text.
class FullConnector {
 public:
  static constexpr const char* kPlatform = "full";
  static constexpr const char* kVersion = "2.3.4";
  static constexpr const char* kDescription = "test connector with every member";

  FullConnector(herald::Host host, const herald::Account& account)
      : host_(host), account_(account) {
    if (account.name == "explode") throw std::runtime_error("bad config: no page id");
    host_.Info("created for " + account_.name);
  }

  herald::Limits Describe() const {
    herald::ImageLimits image;
    image.max_bytes = 1000;
    image.mime_types = {"image/jpeg", "image/\"odd\""};
    return herald::Limits().TextMax(10).LinkAllowed(false).MediaRequired(true).Image(image);
  }

  std::vector<herald::Issue> Validate(const herald::Post& post) {
    if (post.text() == "throw") throw std::runtime_error("validator broke");
    if (post.text().empty()) return {{"text", "text is empty"}};
    return {};
  }

  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> checkpoint) {
    std::string_view t = post.text();
    if (t == "throw") throw std::runtime_error("platform said no: 500");
    if (t == "throw-int") throw 42;
    if (t == "not-implemented") throw herald::NotImplemented();
    if (t == "published-no-id") return herald::Outcome::Published("");
    if (t == "continue-empty") return herald::Outcome::Continue(5, "");
    if (t == "retry") return herald::Outcome::Retry(host_.NowMs() + 1000, "rate limited");
    if (t == "auth") return herald::Outcome::AuthExpired("token revoked").WithHttpStatus(401);
    if (t == "failed")
      return herald::Outcome::Failed("caption too long").WithPlatformCode("IG-2207");
    if (t == "unknown") return herald::Outcome::Unknown("timeout after send");
    if (!checkpoint) return herald::Outcome::Continue(host_.NowMs() + 5, std::string("a\0b", 3));
    if (*checkpoint != std::string_view("a\0b", 3))
      return herald::Outcome::Failed("bad checkpoint");
    return herald::Outcome::Published("remote-" + std::string(post.job_id()),
                                      "https://example.test/p/1");
  }

  std::string Metrics(const std::vector<std::string>& ids) {
    if (ids.empty()) throw std::runtime_error("no ids");
    return "{" + herald::JsonQuote(ids[0]) + ":{\"likes\":3}}";
  }

  herald::FindResult Find(const herald::Post& post) {
    if (post.text() == "found") return herald::FindResult::Found("r1", "https://u");
    if (post.text() == "throw") throw std::runtime_error("listing failed");
    return herald::FindResult::NotFound("not in the last 50 posts");
  }

  herald::Host& host() { return host_; }

 private:
  herald::Host host_;
  herald::Account account_;
};

// Only the required members.
class MinimalConnector {
 public:
  static constexpr const char* kPlatform = "minimal";
  static constexpr const char* kVersion = "0.0.1";
  static constexpr const char* kDescription = "only required members";
  MinimalConnector(herald::Host, const herald::Account&) {}
  std::string Describe() { return "{\"text_max\":5}"; }
  herald::Outcome Step(const herald::Post&, std::optional<std::string_view>) {
    return herald::Outcome::Failed("not implemented");
  }
};

}  // namespace

// The exported symbols come from here, as in a real plugin.
HERALD_PLUGIN(FullConnector)

namespace {

struct Fixture {
  FakeHost fake;
  herald_host_ctx* ctx = reinterpret_cast<herald_host_ctx*>(&fake);
  const herald_plugin_api* api = herald_plugin_get_api();
  herald_connector* conn = nullptr;

  explicit Fixture(const char* name = "corner-cleaners") {
    herald_account account{sizeof(herald_account), "full", name, nullptr, "{\"page\":1}"};
    const char* error = nullptr;
    conn = api->create(&kHostApi, ctx, &account, &error);
  }
  ~Fixture() {
    if (conn) api->destroy(conn);
  }

  herald_post MakePost(const char* text) {
    herald_post p{};
    p.struct_size = sizeof p;
    p.job_id = "job-1";
    p.account = "full/corner-cleaners";
    p.due_ms = 1000;
    p.text = text;
    p.post_json = "{}";
    return p;
  }

  herald_outcome Step(const char* text, const char* cp = nullptr, size_t cp_size = 0,
                      int32_t* rc = nullptr) {
    herald_post p = MakePost(text);
    herald_outcome out{};
    out.struct_size = sizeof out;
    int32_t r = api->step(conn, &p, cp, cp_size, &out);
    if (rc) *rc = r;
    return out;
  }
};

}  // namespace

TEST_CASE("exports report the ABI version and the plugin info") {
  REQUIRE(herald_plugin_abi_version() == HERALD_ABI_VERSION);
  const herald_plugin_api* api = herald_plugin_get_api();
  REQUIRE(api->struct_size == sizeof(herald_plugin_api));
  const herald_plugin_info* info = api->get_info();
  CHECK(std::string(info->platform) == "full");
  CHECK(std::string(info->version) == "2.3.4");
  CHECK(std::string(info->description) == "test connector with every member");
}

TEST_CASE("optional members are detected at compile time") {
  const herald_plugin_api* full = herald_plugin_get_api();
  CHECK(full->validate != nullptr);
  CHECK(full->metrics != nullptr);
  CHECK(full->find != nullptr);
  const herald_plugin_api* min = herald::detail::ApiTable<MinimalConnector>();
  CHECK(min->get_info != nullptr);
  CHECK(min->create != nullptr);
  CHECK(min->destroy != nullptr);
  CHECK(min->last_error != nullptr);
  CHECK(min->describe != nullptr);
  CHECK(min->step != nullptr);
  CHECK(min->validate == nullptr);
  CHECK(min->metrics == nullptr);
  CHECK(min->find == nullptr);
  CHECK(std::string(min->get_info()->platform) == "minimal");
}

TEST_CASE("create passes host and account; a throwing constructor becomes an error string") {
  Fixture ok;
  REQUIRE(ok.conn != nullptr);
  REQUIRE(ok.fake.logs.size() == 1);
  CHECK(ok.fake.logs[0].first == HERALD_LOG_INFO);
  CHECK(ok.fake.logs[0].second == "created for corner-cleaners");
  CHECK(ok.api->last_error(ok.conn) == nullptr);

  FakeHost fake;
  herald_account account{sizeof(herald_account), "full", "explode", nullptr, nullptr};
  const char* error = nullptr;
  herald_connector* c = herald_plugin_get_api()->create(
      &kHostApi, reinterpret_cast<herald_host_ctx*>(&fake), &account, &error);
  CHECK(c == nullptr);
  REQUIRE(error != nullptr);
  CHECK(std::string(error) == "bad config: no page id");
}

TEST_CASE("describe builds the limits JSON") {
  Fixture f;
  CHECK(std::string(f.api->describe(f.conn)) ==
        "{\"text_max\":10,\"link_allowed\":false,\"media_required\":true,"
        "\"media\":{\"image\":{\"max_bytes\":1000,"
        "\"mime_types\":[\"image/jpeg\",\"image/\\\"odd\\\"\"]}}}");
  const herald_plugin_api* min = herald::detail::ApiTable<MinimalConnector>();
  herald_account account{sizeof(herald_account), "minimal", "a", nullptr, nullptr};
  const char* error = nullptr;
  herald_connector* c = min->create(&kHostApi, f.ctx, &account, &error);
  REQUIRE(c != nullptr);
  CHECK(std::string(min->describe(c)) == "{\"text_max\":5}");
  min->destroy(c);
}

TEST_CASE("Limits: an empty builder means no limits and no media") {
  CHECK(herald::Limits().ToJson() == "{}");
  herald::VideoLimits v;
  v.max_duration_s = 60;
  CHECK(herald::Limits().HashtagsMax(30).Video(v).ToJson() ==
        "{\"hashtags_max\":30,\"media\":{\"video\":{\"max_duration_s\":60}}}");
}

TEST_CASE("step: a checkpointed flow continues, then publishes") {
  Fixture f;
  int32_t rc = -1;
  herald_outcome first = f.Step("hello", nullptr, 0, &rc);
  REQUIRE(rc == HERALD_OK);
  REQUIRE(first.kind == HERALD_OUTCOME_CONTINUE);
  CHECK(first.at_ms == f.fake.now + 5);
  REQUIRE(first.checkpoint_size == 3);
  std::string cp(first.checkpoint, first.checkpoint_size);  // the host journals a copy
  CHECK(cp == std::string("a\0b", 3));

  herald_outcome second = f.Step("hello", cp.data(), cp.size(), &rc);
  REQUIRE(rc == HERALD_OK);
  REQUIRE(second.kind == HERALD_OUTCOME_PUBLISHED);
  CHECK(std::string(second.remote_id) == "remote-job-1");
  CHECK(std::string(second.url) == "https://example.test/p/1");
  CHECK(second.reason == nullptr);
  CHECK(second.checkpoint == nullptr);
}

TEST_CASE("step: every outcome kind maps to its C value") {
  Fixture f;
  herald_outcome retry = f.Step("retry");
  CHECK(retry.kind == HERALD_OUTCOME_RETRY);
  CHECK(retry.at_ms == f.fake.now + 1000);
  CHECK(std::string(retry.reason) == "rate limited");

  herald_outcome auth = f.Step("auth");
  CHECK(auth.kind == HERALD_OUTCOME_AUTH_EXPIRED);
  CHECK(std::string(auth.reason) == "token revoked");
  CHECK(auth.http_status == 401);

  herald_outcome failed = f.Step("failed");
  CHECK(failed.kind == HERALD_OUTCOME_FAILED);
  CHECK(std::string(failed.reason) == "caption too long");
  CHECK(std::string(failed.platform_code) == "IG-2207");

  herald_outcome unknown = f.Step("unknown");
  CHECK(unknown.kind == HERALD_OUTCOME_UNKNOWN);
  CHECK(std::string(unknown.reason) == "timeout after send");
  CHECK(f.api->last_error(f.conn) == nullptr);
}

TEST_CASE("step: an exception becomes FAILED with last_error") {
  Fixture f;
  int32_t rc = HERALD_OK;
  herald_outcome out = f.Step("throw", nullptr, 0, &rc);
  CHECK(rc == HERALD_ERR_INTERNAL);
  CHECK(out.kind == HERALD_OUTCOME_FAILED);
  REQUIRE(out.reason != nullptr);
  CHECK(std::string(out.reason) == "platform said no: 500");
  REQUIRE(f.api->last_error(f.conn) != nullptr);
  CHECK(std::string(f.api->last_error(f.conn)) == "platform said no: 500");

  out = f.Step("throw-int", nullptr, 0, &rc);
  CHECK(rc == HERALD_ERR_INTERNAL);
  CHECK(out.kind == HERALD_OUTCOME_FAILED);
  CHECK(std::string(out.reason) == "unknown exception");

  out = f.Step("not-implemented", nullptr, 0, &rc);
  CHECK(rc == HERALD_ERR_NOT_IMPLEMENTED);
  CHECK(out.kind == HERALD_OUTCOME_FAILED);
  CHECK(std::string(out.reason) == "not implemented");

  // A later success clears last_error.
  f.Step("retry", nullptr, 0, &rc);
  CHECK(rc == HERALD_OK);
  CHECK(f.api->last_error(f.conn) == nullptr);
}

TEST_CASE("step: malformed outcomes are refused rather than passed on") {
  Fixture f;
  int32_t rc = HERALD_OK;
  herald_outcome out = f.Step("published-no-id", nullptr, 0, &rc);
  CHECK(rc == HERALD_ERR_INTERNAL);
  CHECK(out.kind == HERALD_OUTCOME_FAILED);
  CHECK(std::string(out.reason).find("without a remote id") != std::string::npos);
  out = f.Step("continue-empty", nullptr, 0, &rc);
  CHECK(out.kind == HERALD_OUTCOME_FAILED);
  CHECK(std::string(out.reason).find("empty checkpoint") != std::string::npos);
}

TEST_CASE("validate returns a JSON array of issues") {
  Fixture f;
  herald_post good = f.MakePost("fine");
  CHECK(std::string(f.api->validate(f.conn, &good)) == "[]");
  herald_post empty = f.MakePost("");
  CHECK(std::string(f.api->validate(f.conn, &empty)) ==
        "[{\"field\":\"text\",\"message\":\"text is empty\"}]");
  herald_post boom = f.MakePost("throw");
  std::string issues = f.api->validate(f.conn, &boom);
  CHECK(issues.find("validator broke") != std::string::npos);
  CHECK(std::string(f.api->last_error(f.conn)) == "validator broke");
}

TEST_CASE("metrics returns JSON, or NULL with last_error") {
  Fixture f;
  const char* ids[] = {"r1", "r2"};
  CHECK(std::string(f.api->metrics(f.conn, ids, 2)) == "{\"r1\":{\"likes\":3}}");
  CHECK(f.api->metrics(f.conn, ids, 0) == nullptr);
  CHECK(std::string(f.api->last_error(f.conn)) == "no ids");
}

TEST_CASE("find maps found / not found; an exception is an error status") {
  Fixture f;
  herald_post found = f.MakePost("found");
  herald_find_result r{};
  r.struct_size = sizeof r;
  REQUIRE(f.api->find(f.conn, &found, &r) == HERALD_OK);
  CHECK(r.kind == HERALD_FIND_FOUND);
  CHECK(std::string(r.remote_id) == "r1");
  CHECK(std::string(r.url) == "https://u");

  herald_post other = f.MakePost("other");
  herald_find_result n{};
  n.struct_size = sizeof n;
  REQUIRE(f.api->find(f.conn, &other, &n) == HERALD_OK);
  CHECK(n.kind == HERALD_FIND_NOT_FOUND);
  CHECK(std::string(n.reason) == "not in the last 50 posts");

  herald_post boom = f.MakePost("throw");
  herald_find_result e{};
  e.struct_size = sizeof e;
  CHECK(f.api->find(f.conn, &boom, &e) == HERALD_ERR_INTERNAL);
  CHECK(std::string(f.api->last_error(f.conn)) == "listing failed");
}

TEST_CASE("Post exposes the herald_post fields and media") {
  herald_media media[2] = {
      {sizeof(herald_media), HERALD_MEDIA_IMAGE, "/m/a.jpg", "image/jpeg", 10, "a dog", nullptr},
      {sizeof(herald_media), HERALD_MEDIA_VIDEO, "/m/b.mp4", "video/mp4", 20, nullptr,
       "https://cdn/b.mp4"}};
  herald_post raw{sizeof(herald_post), "j",         "ig/shop", 77, "hi", "https://l", media, 2,
                  "{\"a\":1}",         "v1:o=5\0x", 8};
  herald::Post p(&raw);
  CHECK(p.job_id() == "j");
  CHECK(p.account() == "ig/shop");
  CHECK(p.due_ms() == 77);
  CHECK(p.text() == "hi");
  CHECK(p.link() == std::optional<std::string_view>("https://l"));
  CHECK(p.post_json() == "{\"a\":1}");
  REQUIRE(p.media_count() == 2);
  CHECK(p.media(0).kind() == herald::MediaKind::kImage);
  CHECK(p.media(0).alt_text() == std::optional<std::string_view>("a dog"));
  CHECK(p.media(1).path() == "/m/b.mp4");
  CHECK(p.media(1).size_bytes() == 20);
  CHECK(!p.media(1).alt_text());
  CHECK(p.media()[1].public_url() == std::optional<std::string_view>("https://cdn/b.mp4"));
  CHECK(p.checkpoint() == std::optional<std::string_view>(std::string_view("v1:o=5\0x", 8)));
  raw.link = nullptr;
  CHECK(!p.link());
  raw.struct_size = offsetof(herald_post, checkpoint);  // a host of ABI 1.1
  CHECK(!p.checkpoint());
  raw.struct_size = sizeof(herald_post);
  raw.checkpoint = nullptr;
  raw.checkpoint_size = 0;
  CHECK(!p.checkpoint());
}

TEST_CASE("Host forwards HTTP bodies, headers and secrets, and copies the answer") {
  FakeHost fake;
  herald::Host host(&kHostApi, reinterpret_cast<herald_host_ctx*>(&fake));

  herald::HttpResult r = host.Http(herald::Request("POST", "https://api.test/x")
                                       .AddHeader("Accept", "application/json")
                                       .BodyMemory("a=1")
                                       .Secret("s3cret"));
  REQUIRE(r.ok());
  CHECK(fake.seen_method == "POST");
  CHECK(fake.seen_url == "https://api.test/x");
  CHECK(fake.seen_headers == std::vector<std::string>{"Accept=application/json"});
  CHECK(fake.seen_body == "a=1");
  CHECK(fake.seen_secrets == std::vector<std::string>{"s3cret"});
  CHECK(r.response().status == 200);
  CHECK(r.response().body == "{\"id\":\"42\"}");
  CHECK(r.response().HeaderValue("retry-after") == std::optional<std::string>("30"));
  CHECK(!r.response().HeaderValue("Location"));

  REQUIRE(host.Http(herald::Request("PUT", "https://u").BodyFileRange("/v.mp4", 100, 50)).ok());
  CHECK(fake.seen_file == "/v.mp4@100+50");

  std::vector<herald::MultipartPart> parts = {
      herald::MultipartPart::Field("caption", "hello"),
      herald::MultipartPart::File("source", "v.mp4", "video/mp4", "/v.mp4")};
  REQUIRE(host.Http(herald::Request("POST", "https://u").BodyMultipart(parts)).ok());
  CHECK(fake.seen_parts == std::vector<std::string>{"caption:hello", "source:file /v.mp4"});

  fake.http_rc = HERALD_ERR_HTTP_NOT_SENT;
  herald::HttpResult bad = host.Http(herald::Request("GET", "https://u"));
  REQUIRE(!bad.ok());
  CHECK(bad.error().code == HERALD_ERR_HTTP_NOT_SENT);
  CHECK(bad.error().message == "connection refused");
}

TEST_CASE("Host credentials, clock and log levels") {
  FakeHost fake;
  herald::Host host(&kHostApi, reinterpret_cast<herald_host_ctx*>(&fake));
  CHECK(!host.Credential("access_token"));
  CHECK(host.StoreCredential("access_token", "") == HERALD_ERR_INVALID_ARGUMENT);
  CHECK(host.StoreCredential("access_token", "t1") == HERALD_OK);
  CHECK(host.Credential("access_token") == std::optional<std::string>("t1"));
  CHECK(host.NowMs() == fake.now);
  host.Warn("careful");
  host.Log(herald::LogLevel::kError, "broken");
  REQUIRE(fake.logs.size() == 2);
  CHECK(fake.logs[0] == std::make_pair(int{HERALD_LOG_WARN}, std::string("careful")));
  CHECK(fake.logs[1] == std::make_pair(int{HERALD_LOG_ERROR}, std::string("broken")));
}

TEST_CASE("JsonQuote escapes quotes, backslashes and control characters") {
  CHECK(herald::JsonQuote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST_CASE("the limits builder writes the media specs, decimals with a point") {
  herald::ImageLimits image;
  image.min_width = 320;
  image.max_width = 1440;
  image.min_aspect_ratio = 0.8;
  image.max_aspect_ratio = 1.91;
  herald::VideoLimits video;
  video.min_duration_s = 3;
  video.containers = {"mp4", "mov"};
  video.video_codecs = {"h264"};
  video.audio_codecs = {"aac"};
  video.max_width = 1920;
  video.min_aspect_ratio = 0.01;
  video.max_aspect_ratio = 10;
  video.max_frame_rate = 29.97;
  CHECK(herald::Limits().Image(image).Video(video).ToJson() ==
        "{\"media\":{\"image\":{\"min_width\":320,\"max_width\":1440,"
        "\"min_aspect_ratio\":0.8,\"max_aspect_ratio\":1.91},"
        "\"video\":{\"min_duration_s\":3,\"containers\":[\"mp4\",\"mov\"],"
        "\"video_codecs\":[\"h264\"],\"audio_codecs\":[\"aac\"],\"max_width\":1920,"
        "\"min_aspect_ratio\":0.01,\"max_aspect_ratio\":10,\"max_frame_rate\":29.97}}}");
}

TEST_CASE("the limits builder names post kinds with what changes for each") {
  CHECK(herald::Limits()
            .MediaMaxCount(10)
            .Kind("story", {false, true, 1})
            .Kind("note", {})
            .ToJson() ==
        "{\"media_max_count\":10,\"kinds\":{\"story\":{\"text\":false,"
        "\"media_required\":true,\"media_max_count\":1},\"note\":{}}}");
}

TEST_CASE("Retry-After: delta-seconds, HTTP-dates, a cap, and nothing unreadable taken") {
  const std::int64_t now = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT
  auto at = [&](std::string value) {
    herald::Response r;
    r.status = 503;
    r.headers = "Content-Type: text/plain\r\nRetry-After: " + value + "\r\n";
    return r.RetryAfterMs(now);
  };
  using Ms = std::optional<std::int64_t>;
  CHECK(at("8") == Ms(now + 8'000));
  CHECK(at("  120 ") == Ms(now + 120'000));
  CHECK(at("0") == Ms(now));
  CHECK(at("0008") == Ms(now + 8'000));
  // Capped at 24 h, however long the number: 20 digits do not overflow.
  const std::int64_t cap = herald::Response::kMaxRetryAfterMs;
  CHECK(cap == 24LL * 3600 * 1000);
  CHECK(at("86399") == Ms(now + 86'399'000));
  CHECK(at("86400") == Ms(now + cap));
  CHECK(at("99999999999999999999") == Ms(now + cap));
  CHECK(at("184467440737095516160000") == Ms(now + cap));
  // The three HTTP-date forms, 90 s after `now`.
  CHECK(at("Sun, 06 Nov 1994 08:51:07 GMT") == Ms(now + 90'000));
  CHECK(at("Sunday, 06-Nov-94 08:51:07 GMT") == Ms(now + 90'000));
  CHECK(at("Sun Nov  6 08:51:07 1994") == Ms(now + 90'000));
  // A date already past: no wait. One years ahead: the cap.
  CHECK(at("Sun, 06 Nov 1994 08:00:00 GMT") == Ms(now));
  CHECK(at("Thu, 01 Jan 1970 00:00:00 GMT") == Ms(now));
  CHECK(at("Fri, 31 Dec 9999 23:59:59 GMT") == Ms(now + cap));
  // Dates across a leap day.
  CHECK(herald::Response::ParseHttpDateMs("Thu, 29 Feb 2024 12:00:00 GMT", now) ==
        Ms(1709208000000));
  CHECK(herald::Response::ParseHttpDateMs("Fri, 01 Mar 2024 00:00:00 GMT", now) ==
        Ms(1709251200000));
  // RFC 850's two-digit years: never more than 50 years after now.
  const std::int64_t in_2025 = 1740992400000;  // 2025-03-03
  CHECK(herald::Response::ParseHttpDateMs("Sunday, 06-Nov-94 08:49:37 GMT", in_2025) ==
        Ms(784111777000));
  CHECK(herald::Response::ParseHttpDateMs("Thursday, 01-Jan-26 00:00:00 GMT", in_2025) ==
        Ms(1767225600000));
  CHECK(herald::Response::ParseHttpDateMs("Tuesday, 01-Jan-75 00:00:00 GMT", in_2025) ==
        Ms(3313526400000));  // 2075: 50 years ahead, not more
  CHECK(herald::Response::ParseHttpDateMs("Thursday, 01-Jan-76 00:00:00 GMT", in_2025) ==
        Ms(189302400000));  // 1976, not 2076
  // A date before 1970 reads too (and is past).
  CHECK(herald::Response::ParseHttpDateMs("Wed, 31 Dec 1969 23:59:59 GMT", now) == Ms(-1000));
  // Unreadable: the caller's own backoff decides.
  for (const char* bad : {"", "-5", "8.5", "8s", "+8", "soon", "Sun, 06 Nov 1994 08:51:07",
                          "Sun, 06 Nov 1994 08:51:07 PST", "Sun, 32 Nov 1994 08:51:07 GMT",
                          "Sun, 29 Feb 1995 08:51:07 GMT", "Sun, 06 Nob 1994 08:51:07 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 8:51:07 GMT",
                          "Sun, 6 Nov 1994 08:51:07 GMT", "1994-11-06T08:51:07Z"}) {
    CAPTURE(bad);
    CHECK(at(bad) == std::nullopt);
  }
  herald::Response none;
  none.status = 503;
  CHECK(none.RetryAfterMs(now) == std::nullopt);
  // Near the end of int64 time the cap saturates instead of overflowing.
  CHECK(herald::Response::ParseRetryAfterMs("99", INT64_MAX - 10) == Ms(INT64_MAX));
}
