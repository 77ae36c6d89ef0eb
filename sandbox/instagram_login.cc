// Business Login for Instagram, the login of the Instagram API with Instagram
// Login (no Facebook Page needed), as Meta documents it:
//
//   GET  /oauth/authorize            (www.instagram.com, api.instagram.com)
//        client_id, redirect_uri, response_type=code, scope (with
//        instagram_business_basic), state -> 302 redirect_uri?code=...#_
//   POST /oauth/access_token         (api.instagram.com) client_id, client_secret,
//        grant_type=authorization_code, redirect_uri, code
//        -> {"data":[{"access_token","user_id","permissions"}]} (one hour)
//   GET  /access_token               (graph.instagram.com) grant_type=ig_exchange_token,
//        client_secret, access_token -> {"access_token","token_type","expires_in"} (60 days)
//   GET  /refresh_access_token       (graph.instagram.com) grant_type=ig_refresh_token,
//        access_token: a long-lived token at least 24 hours old, not expired
//
// api.instagram.com answers errors as {"error_type","code","error_message"};
// graph.instagram.com in the Graph shape. Every host is this one port.
#include <variant>

#include "sandbox/graph_common.h"
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"

namespace herald::sandbox {

namespace {

using web::json::value;

constexpr int kShortLivedSeconds = 3600;
constexpr int kLongLivedSeconds = 60 * 24 * 3600;

HttpResponse InstagramOAuthError(const std::string& type, const std::string& message) {
  value body = value::object();
  body["error_type"] = JsonStr(type);
  body["code"] = value::number(400);
  body["error_message"] = JsonStr(message);
  return HttpResponse::Json(400, body);
}

bool ClientKnown(const EmulatorContext& ctx, const std::string& id, const std::string* secret) {
  if (ctx.config.oauth_clients.empty()) return !id.empty();
  for (const OAuthClientConfig& c : ctx.config.oauth_clients) {
    if (c.client_id == id && (!secret || c.client_secret == *secret)) return true;
  }
  return false;
}

bool SecretKnown(const EmulatorContext& ctx, const std::string& secret) {
  if (ctx.config.oauth_clients.empty()) return !secret.empty();
  for (const OAuthClientConfig& c : ctx.config.oauth_clients) {
    if (c.client_secret == secret) return true;
  }
  return false;
}

std::string MintInstagram(EmulatorContext& ctx, const std::string& account_id, int seconds,
                          bool long_lived) {
  std::string token = ctx.store.NextOpaque("IGAAsandbox");
  IssuedToken issued;
  issued.account_id = account_id;
  issued.expires_at = ctx.now + std::chrono::seconds(seconds);
  issued.instagram_login = true;
  issued.long_lived = long_lived;
  issued.issued_at = ctx.now;
  ctx.store.issued_tokens[token] = issued;
  return token;
}

HttpResponse LongLived(EmulatorContext& ctx, const std::string& account_id) {
  value body = value::object();
  body["access_token"] = JsonStr(MintInstagram(ctx, account_id, kLongLivedSeconds, true));
  body["token_type"] = JsonStr("bearer");
  body["expires_in"] = value::number(kLongLivedSeconds);
  return HttpResponse::Json(200, body);
}

HttpResponse Authorize(const HttpRequest& request, EmulatorContext& ctx) {
  std::string redirect_uri = request.Param("redirect_uri");
  if (redirect_uri.empty() || request.Param("response_type") != "code" ||
      !ClientKnown(ctx, request.Param("client_id"), nullptr)) {
    return HttpResponse::Text(400, "text/plain; charset=UTF-8",
                              "Invalid request: client_id, redirect_uri and response_type=code "
                              "are required\n");
  }
  std::string scope = request.Param("scope");
  if (scope.find("instagram_business_basic") == std::string::npos) {
    return HttpResponse::Text(400, "text/plain; charset=UTF-8",
                              "Invalid scope: instagram_business_basic is required\n");
  }
  const std::string& hint = request.Param("login_hint");
  const AccountConfig* account = nullptr;
  for (const AccountConfig& a : ctx.config.accounts) {
    if (a.platform == Platform::kInstagram && (hint.empty() || a.id == hint || a.name == hint)) {
      account = &a;
      break;
    }
  }
  std::string sep = redirect_uri.find('?') == std::string::npos ? "?" : "&";
  std::string state = request.Param("state");
  std::string location;
  if (!account) {  // an unknown login_hint stands for the user who cancels
    location = redirect_uri + sep +
               "error=access_denied&error_reason=user_denied&error_description=" +
               UrlEncode("The user denied your request.");
  } else {
    std::string code = ctx.store.NextOpaque("AQBsandboxIG");
    ctx.store.codes[code] = AuthorizationCode{account->id, redirect_uri, false, "", ""};
    location = redirect_uri + sep + "code=" + UrlEncode(code);
  }
  if (!state.empty()) location += "&state=" + UrlEncode(state);
  HttpResponse response = HttpResponse::Text(302, "text/html; charset=UTF-8", "");
  // "Note that we append #_ to the end of the redirect URI": not part of the code.
  response.AddHeader("Location", location + "#_");
  return response;
}

HttpResponse ExchangeCode(const HttpRequest& request, EmulatorContext& ctx) {
  std::string secret = request.Param("client_secret");
  if (!ClientKnown(ctx, request.Param("client_id"), &secret)) {
    return InstagramOAuthError("OAuthException", "Invalid platform app");
  }
  if (request.Param("grant_type") != "authorization_code") {
    return InstagramOAuthError("OAuthException", "Invalid grant_type: authorization_code only");
  }
  auto code = ctx.store.codes.find(request.Param("code"));
  if (code == ctx.store.codes.end() || code->second.used) {
    return InstagramOAuthError("OAuthException", "Invalid authorization code");
  }
  if (code->second.redirect_uri != request.Param("redirect_uri")) {
    return InstagramOAuthError("OAuthException",
                               "Error validating verification code. Please make sure your "
                               "redirect_uri is identical to the one you used in the OAuth "
                               "dialog request");
  }
  code->second.used = true;
  value item = value::object();
  item["access_token"] =
      JsonStr(MintInstagram(ctx, code->second.account_id, kShortLivedSeconds, false));
  item["user_id"] = JsonStr("9" + code->second.account_id.substr(1));  // app-scoped id
  item["permissions"] = JsonStr("instagram_business_basic,instagram_business_content_publish");
  value body = value::object();
  body["data"] = value::array({item});
  return HttpResponse::Json(200, body);
}

// The valid Instagram Login token of the request, or the Graph error.
std::variant<std::string, HttpResponse> InstagramToken(const HttpRequest& request,
                                                       EmulatorContext& ctx) {
  std::string token = request.Param("access_token");
  std::string account = ctx.store.AccountOfToken(token);
  if (account.empty() || !ctx.store.IsInstagramLoginToken(token)) return GraphTokenError(false);
  if (ctx.store.CheckToken(token, account, ctx.now) != TokenCheck::kValid) {
    return GraphTokenError(true);
  }
  return token;
}

HttpResponse Exchange(const HttpRequest& request, EmulatorContext& ctx) {
  if (request.Param("grant_type") != "ig_exchange_token") {
    return GraphParamError("grant_type must be ig_exchange_token");
  }
  if (!SecretKnown(ctx, request.Param("client_secret"))) {
    return GraphError(400, 101, 0, "OAuthException", "Error validating client secret.");
  }
  auto token = InstagramToken(request, ctx);
  if (auto* e = std::get_if<HttpResponse>(&token)) return *e;
  return LongLived(ctx, ctx.store.AccountOfToken(std::get<std::string>(token)));
}

HttpResponse Refresh(const HttpRequest& request, EmulatorContext& ctx) {
  if (request.Param("grant_type") != "ig_refresh_token") {
    return GraphParamError("grant_type must be ig_refresh_token");
  }
  auto token = InstagramToken(request, ctx);
  if (auto* e = std::get_if<HttpResponse>(&token)) return *e;
  auto issued = ctx.store.issued_tokens.find(std::get<std::string>(token));
  if (issued != ctx.store.issued_tokens.end()) {  // configured tokens count as old
    if (!issued->second.long_lived) {
      return GraphParamError("Only long-lived tokens can be refreshed: exchange it first.");
    }
    if (ctx.now - issued->second.issued_at < std::chrono::hours(24)) {
      return GraphParamError("The access token is less than 24 hours old and cannot be refreshed.");
    }
  }
  return LongLived(ctx, ctx.store.AccountOfToken(std::get<std::string>(token)));
}

}  // namespace

HttpResponse HandleInstagramLogin(const HttpRequest& request, EmulatorContext& ctx,
                                  const std::vector<std::string>& segments) {
  if (segments.size() == 2 && segments[0] == "oauth" && segments[1] == "authorize" &&
      request.method == "GET") {
    return Authorize(request, ctx);
  }
  if (segments.size() == 2 && segments[0] == "oauth" && segments[1] == "access_token" &&
      request.method == "POST") {
    return ExchangeCode(request, ctx);
  }
  if (segments.size() == 1 && segments[0] == "access_token" && request.method == "GET") {
    return Exchange(request, ctx);
  }
  if (segments.size() == 1 && segments[0] == "refresh_access_token" && request.method == "GET") {
    return Refresh(request, ctx);
  }
  return GraphError(400, 100, 0, "OAuthException", "Unknown Instagram Login endpoint.");
}

HttpResponse InstagramLoginMe(const HttpRequest& request, EmulatorContext& ctx) {
  std::string token = AccessToken(request);
  std::string account_id = ctx.store.AccountOfToken(token);
  if (ctx.store.CheckToken(token, account_id, ctx.now) != TokenCheck::kValid) {
    return GraphTokenError(ctx.store.CheckToken(token, account_id, ctx.now) ==
                           TokenCheck::kExpired);
  }
  const AccountConfig* account = ctx.config.FindAccount(account_id);
  value body = value::object();
  body["id"] = JsonStr("9" + account_id.substr(1));  // the app-scoped user id
  for (const GraphField& field : ParseFields(request.Param("fields"))) {
    if (field.name == "user_id") body["user_id"] = JsonStr(account_id);
    if (field.name == "username" && account) body["username"] = JsonStr(account->name);
  }
  return HttpResponse::Json(200, body);
}

}  // namespace herald::sandbox
