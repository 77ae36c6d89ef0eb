// The authorization servers: Google's OAuth2 (/o/oauth2/auth redirecting with
// a code, /token for the authorization_code and refresh_token grants) and
// Facebook Login (/vX/dialog/oauth, /vX/oauth/access_token). Access tokens
// they mint live for config.access_token_seconds.
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"

namespace herald::sandbox {

namespace {

using web::json::value;

HttpResponse OAuthError(int status, const std::string& error, const std::string& description) {
  value body = value::object();
  body["error"] = JsonStr(error);
  body["error_description"] = JsonStr(description);
  return HttpResponse::Json(status, body);
}

bool ClientOk(const EmulatorContext& ctx, const std::string& id, const std::string& secret,
              bool check_secret) {
  if (ctx.config.oauth_clients.empty()) return !id.empty();
  for (const OAuthClientConfig& client : ctx.config.oauth_clients) {
    if (client.client_id == id && (!check_secret || client.client_secret == secret)) return true;
  }
  return false;
}

const AccountConfig* ChooseAccount(const EmulatorContext& ctx, Platform platform,
                                   const std::string& hint) {
  for (const AccountConfig& account : ctx.config.accounts) {
    if (account.platform == platform &&
        (hint.empty() || account.id == hint || account.name == hint)) {
      return &account;
    }
  }
  return nullptr;
}

HttpResponse Redirect(const std::string& redirect_uri, const std::string& code,
                      const std::string& state) {
  std::string location = redirect_uri + (redirect_uri.find('?') == std::string::npos ? "?" : "&") +
                         "code=" + UrlEncode(code);
  if (!state.empty()) location += "&state=" + UrlEncode(state);
  HttpResponse response = HttpResponse::Text(302, "text/html; charset=UTF-8", "");
  response.AddHeader("Location", location);
  return response;
}

std::string Mint(EmulatorContext& ctx, const std::string& account_id, const std::string& prefix) {
  std::string token = ctx.store.NextOpaque(prefix);
  ctx.store.issued_tokens[token] =
      IssuedToken{account_id, ctx.now + std::chrono::seconds(ctx.config.access_token_seconds)};
  return token;
}

}  // namespace

HttpResponse HandleGoogleOAuth(const HttpRequest& request, EmulatorContext& ctx,
                               const std::vector<std::string>& segments) {
  if (segments.size() >= 3 && segments[0] == "o" && segments[1] == "oauth2" &&
      segments.back() == "auth" && request.method == "GET") {
    std::string redirect_uri = request.Param("redirect_uri");
    if (redirect_uri.empty() || request.Param("response_type") != "code" ||
        !ClientOk(ctx, request.Param("client_id"), "", false)) {
      return HttpResponse::Text(400, "text/plain; charset=UTF-8",
                                "Error 400: invalid_request (client_id, redirect_uri and "
                                "response_type=code are required)\n");
    }
    const AccountConfig* account =
        ChooseAccount(ctx, Platform::kYouTube, request.Param("login_hint"));
    if (!account) return Redirect(redirect_uri, "", request.Param("state"));
    std::string code = ctx.store.NextOpaque("4/sandbox-");
    ctx.store.codes[code] = AuthorizationCode{account->id, redirect_uri, false};
    return Redirect(redirect_uri, code, request.Param("state"));
  }
  if (segments.size() != 1 || segments[0] != "token" || request.method != "POST") {
    return OAuthError(404, "not_found", "Unknown OAuth endpoint.");
  }
  if (!ClientOk(ctx, request.Param("client_id"), request.Param("client_secret"), true)) {
    return OAuthError(401, "invalid_client", "The OAuth client was not found.");
  }
  std::string grant = request.Param("grant_type");
  std::string account_id;
  std::string refresh_token;
  if (grant == "refresh_token") {
    refresh_token = request.Param("refresh_token");
    if (refresh_token.empty())
      return OAuthError(400, "invalid_request", "Missing required parameter: refresh_token");
    auto issued = ctx.store.issued_refresh_tokens.find(refresh_token);
    if (issued != ctx.store.issued_refresh_tokens.end()) account_id = issued->second;
    for (const AccountConfig& account : ctx.config.accounts) {
      for (const std::string& token : account.refresh_tokens) {
        if (token == refresh_token) account_id = account.id;
      }
    }
    if (account_id.empty())
      return OAuthError(400, "invalid_grant", "Token has been expired or revoked.");
  } else if (grant == "authorization_code") {
    auto code = ctx.store.codes.find(request.Param("code"));
    if (code == ctx.store.codes.end() || code->second.used) {
      return OAuthError(400, "invalid_grant", "Malformed auth code.");
    }
    if (code->second.redirect_uri != request.Param("redirect_uri")) {
      return OAuthError(400, "redirect_uri_mismatch", "Bad Request");
    }
    code->second.used = true;
    account_id = code->second.account_id;
    refresh_token = ctx.store.NextOpaque("1//sandbox-");
    ctx.store.issued_refresh_tokens[refresh_token] = account_id;
  } else if (grant.empty()) {
    return OAuthError(400, "invalid_request", "Missing required parameter: grant_type");
  } else {
    return OAuthError(400, "unsupported_grant_type", "Invalid grant_type: " + grant);
  }
  value body = value::object();
  body["access_token"] = JsonStr(Mint(ctx, account_id, "ya29.sandbox-"));
  body["expires_in"] = value::number(ctx.config.access_token_seconds);
  body["scope"] = JsonStr(
      "https://www.googleapis.com/auth/youtube.upload "
      "https://www.googleapis.com/auth/youtube.readonly");
  body["token_type"] = JsonStr("Bearer");
  if (grant == "authorization_code") body["refresh_token"] = JsonStr(refresh_token);
  return HttpResponse::Json(200, body);
}

HttpResponse HandleFacebookOAuth(const HttpRequest& request, EmulatorContext& ctx,
                                 const std::vector<std::string>& segments) {
  if (segments.size() == 2 && segments[0] == "dialog" && segments[1] == "oauth") {
    std::string redirect_uri = request.Param("redirect_uri");
    if (redirect_uri.empty() || !ClientOk(ctx, request.Param("client_id"), "", false)) {
      return GraphParamError("The parameters client_id and redirect_uri are required.");
    }
    const AccountConfig* account =
        ChooseAccount(ctx, Platform::kFacebook, request.Param("login_hint"));
    if (!account) return GraphParamError("No Facebook page is configured in the sandbox.");
    std::string code = ctx.store.NextOpaque("AQ-sandbox-");
    ctx.store.codes[code] = AuthorizationCode{account->id, redirect_uri, false};
    return Redirect(redirect_uri, code, request.Param("state"));
  }
  if (segments.size() == 2 && segments[0] == "oauth" && segments[1] == "access_token") {
    if (!ClientOk(ctx, request.Param("client_id"), request.Param("client_secret"), true)) {
      return GraphError(400, 101, 0, "OAuthException",
                        "Error validating application. Invalid application ID.");
    }
    std::string account_id;
    if (request.Param("grant_type") == "fb_exchange_token") {
      account_id = ctx.store.AccountOfToken(request.Param("fb_exchange_token"));
      if (account_id.empty()) return GraphTokenError(false);
    } else {
      auto code = ctx.store.codes.find(request.Param("code"));
      if (code == ctx.store.codes.end()) {
        return GraphError(400, 100, 0, "OAuthException", "Invalid verification code format.");
      }
      if (code->second.used) {
        return GraphError(400, 100, 36009, "OAuthException",
                          "This authorization code has been used.");
      }
      if (code->second.redirect_uri != request.Param("redirect_uri")) {
        return GraphError(400, 100, 36008, "OAuthException",
                          "Error validating verification code. Please make sure your redirect_uri "
                          "is identical to the one you used in the OAuth dialog request");
      }
      code->second.used = true;
      account_id = code->second.account_id;
    }
    value body = value::object();
    body["access_token"] = JsonStr(Mint(ctx, account_id, "EAAsandbox"));
    body["token_type"] = JsonStr("bearer");
    body["expires_in"] = value::number(ctx.config.access_token_seconds);
    return HttpResponse::Json(200, body);
  }
  return GraphError(400, 100, 0, "OAuthException", "Unknown OAuth endpoint.");
}

}  // namespace herald::sandbox
