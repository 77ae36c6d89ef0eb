#include "sandbox/sandbox.h"

#include <thread>

#include "sandbox/emulator.h"
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"
#include "sandbox/web_assets.h"

namespace herald::sandbox {

namespace {

enum class Family { kGraph, kGoogle, kGoogleOAuth, kInstagramLogin, kAdmin, kWeb };

Family FamilyOf(const std::vector<std::string>& segments) {
  if (segments.empty()) return Family::kWeb;
  const std::string& first = segments[0];
  if (first == "_sandbox") return Family::kAdmin;
  if (first == "youtube" || first == "upload") return Family::kGoogle;
  if (first == "token" || first == "o") return Family::kGoogleOAuth;
  if (first == "oauth" || first == "access_token" || first == "refresh_access_token") {
    return Family::kInstagramLogin;
  }
  if (IsGraphVersion(first)) return Family::kGraph;
  return Family::kWeb;
}

bool Logged(Family family) { return family != Family::kAdmin && family != Family::kWeb; }

HttpResponse NotFound() {
  return HttpResponse::Text(404, "text/plain; charset=UTF-8", "Not found\n");
}

}  // namespace

Sandbox::Sandbox(SandboxConfig config, const Clock& clock, MediaFetcher& fetcher)
    : config_(std::move(config)), clock_(clock), fetcher_(fetcher), store_(config_) {}

void Sandbox::SetBaseUrl(const std::string& base_url) {
  std::lock_guard<std::mutex> lock(mu_);
  base_url_ = base_url;
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

HttpResponse Sandbox::Handle(const HttpRequest& request) {
  auto started = std::chrono::steady_clock::now();
  TimePoint received = clock_.Now();
  std::vector<std::string> segments = SplitPath(request.path);
  Family family = FamilyOf(segments);
  std::optional<FaultRule> fault;
  if (Logged(family)) fault = faults_.Take(request.method, request.path);

  HttpResponse response;
  try {
    if (fault && (fault->kind == FaultKind::kStatus || fault->kind == FaultKind::kRetryAfter ||
                  fault->kind == FaultKind::kRateLimit || fault->kind == FaultKind::kTokenExpired ||
                  fault->kind == FaultKind::kForge)) {
      response = FaultResponse(request, *fault);
    } else {
      if (fault && fault->kind == FaultKind::kDelay) {
        std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
      }
      response = Dispatch(request, fault ? &*fault : nullptr);
      if (fault && fault->kind == FaultKind::kDrop) response.drop_connection = true;
    }
  } catch (const std::exception& e) {
    response = family == Family::kGraph
                   ? GraphError(500, 1, 0, "OAuthException",
                                std::string("An unknown error occurred: ") + e.what())
                   : GoogleBackendError(500);
  }

  if (Logged(family)) {
    LogEntry entry;
    entry.time = received;
    entry.method = request.method;
    entry.path = request.path;
    entry.params = MaskedParams(request);
    entry.status = response.drop_connection ? 0 : response.status;
    if (fault) entry.fault = FaultKindName(fault->kind);
    entry.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    log_.Add(std::move(entry));
  }
  return response;
}

HttpResponse Sandbox::Dispatch(const HttpRequest& request, const FaultRule* fault) {
  std::vector<std::string> segments = SplitPath(request.path);
  Family family = FamilyOf(segments);
  if (family == Family::kWeb) {
    if (request.method != "GET" && request.method != "HEAD") return NotFound();
    const WebAsset* asset = FindWebAsset(request.path == "/" ? "/index.html" : request.path);
    if (!asset) return NotFound();
    return HttpResponse::Text(200, WebAssetContentType(asset->path), std::string(asset->content));
  }

  std::unique_lock<std::mutex> lock(mu_);
  EmulatorContext ctx{config_, store_,    lock,    clock_.Now(), fetcher_,
                      fault,   base_url_, faults_, log_};
  switch (family) {
    case Family::kAdmin:
      return HandleAdmin(request, ctx, segments);
    case Family::kGoogle:
      return HandleYouTube(request, ctx, segments);
    case Family::kGoogleOAuth:
      return HandleGoogleOAuth(request, ctx, segments);
    case Family::kInstagramLogin:
      return HandleInstagramLogin(request, ctx, segments);
    case Family::kGraph:
      break;
    case Family::kWeb:
      return NotFound();
  }

  std::string version = segments[0];
  std::vector<std::string> rest(segments.begin() + 1, segments.end());
  HttpResponse response;
  if (rest.size() == 1 && rest[0] == "me" && store_.IsInstagramLoginToken(AccessToken(request))) {
    response = InstagramLoginMe(request, ctx);
  } else if (!rest.empty() && (rest[0] == "dialog" || rest[0] == "oauth" || rest[0] == "me")) {
    response = HandleFacebookOAuth(request, ctx, rest);
  } else if (!rest.empty() &&
             (rest[0].rfind("upload:", 0) == 0 || (rest.size() == 2 && rest[1] == "uploads"))) {
    response = HandleResumableUpload(request, ctx, rest);
  } else if (rest.empty()) {
    response = GraphError(400, 100, 0, "GraphMethodException", "Unsupported get request.");
  } else {
    // The first segment is an object id: an account, or something an account owns.
    const std::string& id = rest[0];
    Platform platform = Platform::kFacebook;
    if (const AccountConfig* account = config_.FindAccount(id)) {
      platform = account->platform;
    } else if (store_.containers.count(id)) {
      platform = Platform::kInstagram;
    } else if (const Post* post = store_.FindPost(id)) {
      platform = post->platform;
    }
    response = platform == Platform::kInstagram ? HandleInstagram(request, ctx, rest, version)
                                                : HandleFacebook(request, ctx, rest, version);
  }
  response.AddHeader("facebook-api-version", version);
  return response;
}

HttpResponse Sandbox::FaultResponse(const HttpRequest& request, const FaultRule& fault) {
  std::vector<std::string> segments = SplitPath(request.path);
  Family family = FamilyOf(segments);
  bool google = family == Family::kGoogle || family == Family::kGoogleOAuth;
  HttpResponse response;
  switch (fault.kind) {
    case FaultKind::kStatus:
      response = google ? GoogleBackendError(fault.status)
                        : GraphError(fault.status, 2, 0, "OAuthException",
                                     "An unexpected error has occurred. Please retry your "
                                     "request later.");
      break;
    case FaultKind::kRetryAfter:
      response = google ? GoogleError(429, "usageLimits", "rateLimitExceeded",
                                      "The request cannot be completed because you have exceeded "
                                      "the rate limit.")
                        : GraphError(429, 613, 0, "OAuthException",
                                     "(#613) Calls to this api have exceeded the rate limit.");
      response.AddHeader("Retry-After", std::to_string(fault.retry_after));
      break;
    case FaultKind::kRateLimit: {
      if (google) {
        response = fault.reason == "quotaExceeded"
                       ? GoogleQuotaExceeded()
                       : GoogleError(403, "youtube.quota", fault.reason,
                                     "The request cannot be completed: " + fault.reason + ".");
        break;
      }
      std::string id = segments.size() > 1 ? segments[1] : "";
      int code = fault.code;
      if (code == 0) {
        const AccountConfig* account = config_.FindAccount(id);
        code = account && account->platform == Platform::kInstagram ? 4 : 32;
      }
      response = GraphRateLimitError(code, id);
      break;
    }
    case FaultKind::kTokenExpired:
      if (family == Family::kGoogleOAuth) {
        web::json::value body = web::json::value::object();
        body["error"] = JsonStr("invalid_grant");
        body["error_description"] = JsonStr("Token has been expired or revoked.");
        response = HttpResponse::Json(400, body);
      } else {
        response = google ? GoogleAuthError() : GraphTokenError(true);
      }
      break;
    case FaultKind::kForge:
      response = HttpResponse::Text(fault.status, "application/json; charset=UTF-8", fault.body);
      if (!fault.location.empty()) response.AddHeader("Location", fault.location);
      break;
    default:
      response = GoogleBackendError(500);
  }
  return response;
}

}  // namespace herald::sandbox
