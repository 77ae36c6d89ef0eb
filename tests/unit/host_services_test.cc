// The host API table's thunks (daemon/plugin/host_services.cc) when the host
// services behind them fail: every failure is logged and the plugin gets a
// real error, never a plausible value (a clock at 1970, an HTTP failure
// without its error text).
#include "plugin/host_services.h"

#include <herald/plugin.hpp>

#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

using namespace herald::plugin;

namespace {

int64_t SystemMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Services whose every call but Log throws.
class BrokenServices final : public HostServices {
 public:
  void Log(herald_log_level level, std::string_view message) override {
    logs.emplace_back(level, std::string(message));
  }
  int32_t Http(const herald_http_request&, herald_http_response& response) override {
    response.status = 200;  // half-filled before the failure
    throw std::runtime_error("curl handle broke");
  }
  std::optional<std::string> CredentialGet(std::string_view) override {
    throw std::runtime_error("credential file unreadable");
  }
  int32_t CredentialStore(std::string_view, std::string_view) override {
    throw std::runtime_error("disk full");
  }
  int64_t NowMs() override { throw std::runtime_error("clock gone"); }

  bool Logged(const std::string& part) const {
    for (const auto& [level, message] : logs) {
      if (level == HERALD_LOG_ERROR && message.find(part) != std::string::npos) return true;
    }
    return false;
  }
  std::vector<std::pair<herald_log_level, std::string>> logs;
};

}  // namespace

TEST_CASE("a failed HTTP call is a transport error with its text, and logged", "[host]") {
  BrokenServices services;
  const herald_host_api* api = HostApiTable();
  herald_http_request req{};
  req.struct_size = sizeof req;
  req.method = "POST";
  req.url = "https://graph.test/104/feed";
  herald_http_response resp{};
  resp.struct_size = sizeof resp;
  int32_t rc = api->http(ToHostCtx(&services), &req, &resp);
  // It may have left before the failure: never "not sent", never OK.
  CHECK(rc == HERALD_ERR_HTTP_NO_RESPONSE);
  CHECK(resp.status == 0);
  REQUIRE(resp.error != nullptr);
  CHECK(std::string(resp.error).find("host failed") != std::string::npos);
  CHECK(services.Logged("curl handle broke"));

  // Through the SDK's wrapper the plugin sees the host's words, not a generic text.
  herald::Host host(api, ToHostCtx(&services));
  herald::HttpResult r = host.Http(herald::Request("GET", "https://graph.test/me"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == HERALD_ERR_HTTP_NO_RESPONSE);
  CHECK(r.error().message.find("host failed") != std::string::npos);

  // A request without a URL is refused with a reason.
  herald_http_request empty{};
  empty.struct_size = sizeof empty;
  empty.method = "GET";
  herald_http_response resp2{};
  CHECK(api->http(ToHostCtx(&services), &empty, &resp2) == HERALD_ERR_INVALID_ARGUMENT);
  REQUIRE(resp2.error != nullptr);
}

TEST_CASE("a transport error without a reason gets one, and is logged", "[host]") {
  class Silent final : public HostServices {
   public:
    void Log(herald_log_level level, std::string_view message) override {
      if (level == HERALD_LOG_ERROR) errors.emplace_back(message);
    }
    int32_t Http(const herald_http_request&, herald_http_response& response) override {
      response.error = nullptr;
      return HERALD_ERR_HTTP_NOT_SENT;
    }
    std::optional<std::string> CredentialGet(std::string_view) override { return std::nullopt; }
    int32_t CredentialStore(std::string_view, std::string_view) override { return HERALD_OK; }
    int64_t NowMs() override { return 1; }
    std::vector<std::string> errors;
  } services;
  herald::Host host(HostApiTable(), ToHostCtx(&services));
  herald::HttpResult r = host.Http(herald::Request("GET", "https://graph.test/me"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == HERALD_ERR_HTTP_NOT_SENT);
  CHECK(r.error().message.find("without saying why") != std::string::npos);
  REQUIRE(services.errors.size() == 1);
}

TEST_CASE("a failed clock answers the real time, never 1970, and is logged", "[host]") {
  BrokenServices services;
  const int64_t before = SystemMs();
  int64_t now = HostApiTable()->now_ms(ToHostCtx(&services));
  const int64_t after = SystemMs();
  CHECK(now >= before);
  CHECK(now <= after);
  CHECK(services.Logged("clock gone"));
}

TEST_CASE("failed credential calls are logged, and a failed store is an error", "[host]") {
  BrokenServices services;
  const herald_host_api* api = HostApiTable();
  CHECK(api->credential_get(ToHostCtx(&services), "access_token") == nullptr);
  CHECK(services.Logged("credential file unreadable"));
  CHECK(api->credential_store(ToHostCtx(&services), "access_token", "t2") == HERALD_ERR_INTERNAL);
  CHECK(services.Logged("disk full"));
}
