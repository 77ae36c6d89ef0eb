#include "youtube/google_errors.h"

#include "common/json_util.h"

namespace herald::connectors::youtube {

std::optional<GoogleError> ParseGoogleError(const herald::Response& r) {
  if ((r.status >= 200 && r.status < 300) || r.status == 308) return std::nullopt;
  GoogleError e;
  e.http_status = r.status;
  if (std::optional<web::json::value> v = ParseJson(r.body)) {
    if (const web::json::value* error = JsonField(*v, "error"); error && error->is_object()) {
      e.message = JsonString(*error, "message");
      const web::json::value* errors = JsonField(*error, "errors");
      if (errors && errors->is_array() && errors->as_array().size() > 0) {
        e.reason = JsonString(errors->as_array().at(0), "reason");
      }
    } else if (error && error->is_string()) {
      e.reason = error->as_string();  // OAuth shape {"error":"invalid_grant",...}
      e.message = JsonString(*v, "error_description");
    }
  }
  if (e.message.empty()) e.message = "HTTP " + std::to_string(r.status);
  return e;
}

herald::Outcome ClassifyGoogleError(const GoogleError& e, const herald::Response& r, int64_t now_ms,
                                    std::string_view what) {
  std::string reason = std::string(what) + ": " + e.message;
  if (!e.reason.empty()) reason += " (" + e.reason + ")";
  herald::Outcome out = [&] {
    if (e.reason == "quotaExceeded" || e.reason == "dailyLimitExceeded") {
      // The host holds the channel's work until the quota resets (describe()'s quota).
      return herald::Outcome::QuotaExhausted("YouTube quota spent: " + reason);
    }
    if (e.reason == "rateLimitExceeded" || e.reason == "userRateLimitExceeded" ||
        e.http_status == 429) {
      std::optional<int64_t> at = r.RetryAfterMs(now_ms);
      return herald::Outcome::Retry(at && *at > now_ms ? *at : now_ms + 60'000,
                                    "rate limited: " + reason);
    }
    // The server's Retry-After, when it sent one, says when; else the host's backoff.
    const int64_t not_before = r.RetryAfterMs(now_ms).value_or(0);
    if (e.http_status >= 500 || e.reason == "backendError" || e.reason == "internalError") {
      return herald::Outcome::Retry(not_before, reason);
    }
    // No reason given, but the server asks to come back: a wait, not a verdict.
    if (e.reason.empty() && e.http_status != 401 && not_before > now_ms) {
      return herald::Outcome::Retry(not_before, reason);
    }
    if (e.http_status == 401) return herald::Outcome::AuthExpired(reason);
    return herald::Outcome::Failed(reason);
  }();
  out.WithHttpStatus(e.http_status);
  if (!e.reason.empty()) out.WithPlatformCode(e.reason);
  return out;
}

}  // namespace herald::connectors::youtube
