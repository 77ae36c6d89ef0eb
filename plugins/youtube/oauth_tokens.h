// OAuthTokens: the YouTube connector's access token, from the credentials the
// host stores for the account. The token is refreshed ahead of expiry
// (expires_at_ms) and after a 401; `invalid_grant` is auth_expired, a 5xx or
// lost answer from the token endpoint is retry; a refresh never overwrites a
// stored refresh token with nothing (only a non-empty rotated one is stored).
// Tokens and secrets are marked secret on every request that carries them.
//
// Owned by the connector, one per channel; called by one thread at a time
// (plugin.hpp).
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace herald::connectors::youtube {

// The token endpoint's answer to a refresh.
struct TokenAnswer {
  std::string access_token;
  int64_t expires_in_s = 0;  // 1 s to ten years: 3600 when absent or beyond
  std::string refresh_token;  // "" unless the server rotated it
};
std::optional<TokenAnswer> ParseTokenAnswer(std::string_view body);

class OAuthTokens {
 public:
  // token_url: the OAuth token endpoint refreshes go to; api_base: the Data
  // API's base URL, the only origin the access token is sent to.
  OAuthTokens(herald::Host host, std::string token_url, std::string api_base)
      : host_(host), token_url_(std::move(token_url)), api_base_(std::move(api_base)) {}

  // Sends `req` with the access token; after a 401, refreshes once and resends.
  // An Outcome when no usable token could be had (auth_expired or retry), and
  // a failed one, with nothing sent, when `req` is not on the API's origin
  // (scheme, host and port of api_base): the token goes nowhere else.
  std::variant<herald::HttpResult, herald::Outcome> Authorized(herald::Request req);

 private:
  using TokenOrOutcome = std::variant<std::string, herald::Outcome>;
  TokenOrOutcome Token(bool force_refresh);
  TokenOrOutcome Refresh();

  herald::Host host_;
  const std::string token_url_;
  const std::string api_base_;
};

}  // namespace herald::connectors::youtube
