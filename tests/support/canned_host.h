// CannedHost: the host services a connector's unit test gives it, so that a
// test drives the connector's step() state machine through herald::Host
// exactly as heraldd does, with canned platform answers instead of a network
// and a clock that moves only when the test moves it.
//
//   herald::testing::CannedHost host;
//   host.credentials["access_token"] = "t";
//   host.On("POST", "/feed", Canned::Answer(503, "{}", "Retry-After: 8\r\n"));
//   FacebookConnector fb(host.host(), account);
//   herald::Outcome o = fb.Step(post, std::nullopt);     // sends POST .../feed
//
// Each canned answer serves one request, the first still unused whose method
// and URL part match, in the order they were added. A request nothing matches
// is answered HERALD_ERR_HTTP_NOT_SENT and recorded in unanswered(), so a test
// that forgot a request fails on its CHECK, not on a network. Every request is
// recorded in seen(). One thread at a time (as the ABI calls a connector).
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::testing {

// One canned answer: an HTTP answer, or a transport error.
struct Canned {
  int status = 200;
  std::string body;
  std::string headers;            // "Name: value\r\n" lines
  int32_t transport = HERALD_OK;  // HERALD_ERR_HTTP_*: no answer, `error` says why
  std::string error;

  static Canned Answer(int status, std::string body = {}, std::string headers = {});
  static Canned Transport(int32_t code, std::string error);
};

// One request a connector made.
struct SeenRequest {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;        // a memory body
  std::string file_range;  // "path@offset+length" for a file-range body
  // The first header named `name` (exact case), "" when absent.
  std::string Header(std::string_view name) const;
};

// One medium of a TestPost.
struct TestMedium {
  herald_media_kind kind = HERALD_MEDIA_IMAGE;
  std::string path = "/media/photo.jpg";
  std::string mime_type = "image/jpeg";
  uint64_t size_bytes = 1000;
  std::string public_url;  // "": not staged
};

// A post to step, owning the strings its herald_post points at.
struct TestPost {
  std::string job_id = "job-1";
  std::string account = "test/account";
  int64_t due_ms = 1'740'992'400'000;
  std::string text = "Hello";
  std::optional<std::string> link;
  std::vector<TestMedium> media;
  std::string post_json = "{}";
  std::optional<std::string> checkpoint;  // what find() sees (herald_post.checkpoint)
  bool abi_1_1 = false;  // a herald_post as a host of ABI 1.1 fills it (no checkpoint)

  // A view of this post, valid until the next view() or a change to it.
  herald::Post view();

 private:
  std::vector<herald_media> media_;
  herald_post post_{};
};

class CannedHost {
 public:
  static constexpr int64_t kStartMs = 1'740'992'400'000;  // 2025-03-03T09:00:00Z

  CannedHost();
  CannedHost(const CannedHost&) = delete;
  CannedHost& operator=(const CannedHost&) = delete;

  // Queues `answer` for the next request with `method` whose URL contains `url_part`.
  CannedHost& On(std::string method, std::string url_part, Canned answer);
  // The host handle a connector is built with; valid while this object lives.
  herald::Host host();

  int64_t now_ms = kStartMs;  // what NowMs() answers; tests move it
  std::map<std::string, std::string> credentials;

  const std::vector<SeenRequest>& seen() const { return seen_; }
  const std::vector<std::string>& unanswered() const { return unanswered_; }
  const std::vector<std::string>& logs() const { return logs_; }
  // Canned answers no request has used yet.
  size_t pending() const;

 private:
  struct Rule {
    std::string method;
    std::string url_part;
    Canned answer;
    bool used = false;
  };
  static CannedHost* Of(herald_host_ctx* ctx);
  static void LogThunk(herald_host_ctx* ctx, int32_t level, const char* message);
  static int32_t HttpThunk(herald_host_ctx* ctx, const herald_http_request* request,
                           herald_http_response* response);
  static const char* CredentialGetThunk(herald_host_ctx* ctx, const char* key);
  static int32_t CredentialStoreThunk(herald_host_ctx* ctx, const char* key, const char* value);
  static int64_t NowThunk(herald_host_ctx* ctx);

  herald_host_api api_{};
  std::vector<Rule> rules_;
  std::vector<SeenRequest> seen_;
  std::vector<std::string> unanswered_;
  std::vector<std::string> logs_;
  Canned last_;             // what the last response points into
  std::string credential_;  // what the last credential_get points into
};

}  // namespace herald::testing
