// The authorization servers: Google's OAuth2 (/o/oauth2/auth redirecting with
// a code, PKCE checked when a code_challenge was sent; /token for the
// authorization_code and refresh_token grants) and Facebook Login
// (/vX/dialog/oauth, /vX/oauth/access_token, and /vX/me/accounts listing the
// Pages with their Page tokens). Access tokens they mint live for
// config.access_token_seconds; Page tokens do not expire.
#include <openssl/evp.h>
#include <openssl/sha.h>

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

// The user refused consent: the platform redirects with an error.
HttpResponse DeniedRedirect(const std::string& redirect_uri, const std::string& state,
                            const std::string& extra) {
  std::string location = redirect_uri + (redirect_uri.find('?') == std::string::npos ? "?" : "&") +
                         "error=access_denied" + extra;
  if (!state.empty()) location += "&state=" + UrlEncode(state);
  HttpResponse response = HttpResponse::Text(302, "text/html; charset=UTF-8", "");
  response.AddHeader("Location", location);
  return response;
}

// RFC 7636 section 4.6: BASE64URL(SHA256(verifier)) for S256, the verifier itself for plain.
bool VerifierMatches(const AuthorizationCode& code, const std::string& verifier) {
  if (code.code_challenge_method == "plain") return verifier == code.code_challenge;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  unsigned char b64[64] = {};
  int n = EVP_EncodeBlock(b64, digest, sizeof digest);
  std::string encoded(reinterpret_cast<char*>(b64), static_cast<size_t>(n));
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  for (char& c : encoded) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return encoded == code.code_challenge;
}

std::string Mint(EmulatorContext& ctx, const std::string& account_id, const std::string& prefix) {
  std::string token = ctx.store.NextOpaque(prefix);
  ctx.store.issued_tokens[token] =
      IssuedToken{account_id, ctx.now + std::chrono::seconds(ctx.config.access_token_seconds), ""};
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
    std::string method = request.Param("code_challenge_method");
    if (request.HasParam("code_challenge") &&
        (request.Param("code_challenge").size() < 43 ||
         (method != "S256" && method != "plain" && !method.empty()))) {
      return HttpResponse::Text(400, "text/plain; charset=UTF-8",
                                "Error 400: invalid_request (Invalid code_challenge or "
                                "code_challenge_method)\n");
    }
    // An unknown login_hint stands for the user who refuses consent.
    const AccountConfig* account =
        ChooseAccount(ctx, Platform::kYouTube, request.Param("login_hint"));
    if (!account) return DeniedRedirect(redirect_uri, request.Param("state"), "");
    std::string code = ctx.store.NextOpaque("4/sandbox-");
    AuthorizationCode issued{account->id, redirect_uri, false, request.Param("code_challenge"),
                             method.empty() ? "plain" : method};
    ctx.store.codes[code] = issued;
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
    if (!code->second.code_challenge.empty()) {
      if (request.Param("code_verifier").empty()) {
        return OAuthError(400, "invalid_grant", "Missing code verifier.");
      }
      if (!VerifierMatches(code->second, request.Param("code_verifier"))) {
        return OAuthError(400, "invalid_grant", "Invalid code verifier.");
      }
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
    if (!account && !request.Param("login_hint").empty()) {
      // An unknown login_hint stands for the user who clicks "Cancel".
      return DeniedRedirect(redirect_uri, request.Param("state"),
                            "&error_code=200&error_description=Permissions+error"
                            "&error_reason=user_denied");
    }
    if (!account) return GraphParamError("No Facebook page is configured in the sandbox.");
    std::string code = ctx.store.NextOpaque("AQ-sandbox-");
    ctx.store.codes[code] = AuthorizationCode{account->id, redirect_uri, false, "", ""};
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
  if (segments.size() == 2 && segments[0] == "me" && segments[1] == "accounts" &&
      request.method == "GET") {
    // The user behind a user token manages every configured Page; a Page's
    // Instagram business account is the Instagram account of the same name.
    std::string token = AccessToken(request);
    std::string user = ctx.store.AccountOfToken(token);
    // An Instagram Login token is not a Facebook token: "Cannot parse access token".
    if (user.empty() || ctx.store.IsInstagramLoginToken(token)) return GraphTokenError(false);
    if (ctx.store.CheckToken(token, user, ctx.now) != TokenCheck::kValid) {
      return GraphTokenError(true);
    }
    std::string fields = request.Param("fields");
    bool with_instagram = fields.find("instagram_business_account") != std::string::npos;
    value data = value::array();
    size_t n = 0;
    for (const AccountConfig& page : ctx.config.accounts) {
      if (page.platform != Platform::kFacebook) continue;
      const AccountConfig* instagram = nullptr;
      for (const AccountConfig& other : ctx.config.accounts) {
        if (other.platform == Platform::kInstagram && other.name == page.name) instagram = &other;
      }
      std::string page_token = ctx.store.NextOpaque("EAAsandboxPage");
      ctx.store.issued_tokens[page_token] =
          IssuedToken{page.id, ctx.now + std::chrono::hours(24 * 365 * 10),
                      instagram ? instagram->id : std::string()};
      value item = value::object();
      item["id"] = JsonStr(page.id);
      item["name"] = JsonStr(page.name);
      item["access_token"] = JsonStr(page_token);
      item["category"] = JsonStr("Local Business");
      value tasks = value::array();
      size_t t = 0;
      for (const char* task : {"ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"}) {
        tasks[t++] = JsonStr(task);
      }
      item["tasks"] = tasks;
      if (with_instagram && instagram) {
        value linked = value::object();
        linked["id"] = JsonStr(instagram->id);
        item["instagram_business_account"] = linked;
      }
      data[n++] = item;
    }
    value body = value::object();
    body["data"] = data;
    return HttpResponse::Json(200, body);
  }
  return GraphError(400, 100, 0, "OAuthException", "Unknown OAuth endpoint.");
}

}  // namespace herald::sandbox
