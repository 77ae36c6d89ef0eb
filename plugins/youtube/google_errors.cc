#include "youtube/google_errors.h"

#include <cstdlib>
#include <ctime>

#include "common/json_util.h"

namespace herald::connectors::youtube {

namespace {

bool IsUsDst(int64_t utc_s) {
  // US rules: from the second Sunday of March, 02:00 PST (10:00 UTC), to the
  // first Sunday of November, 02:00 PDT (09:00 UTC).
  time_t t = static_cast<time_t>(utc_s - 8 * 3600);
  std::tm pst{};
  gmtime_r(&t, &pst);
  auto sunday_of = [&](int month, int nth) {
    std::tm first{};
    first.tm_year = pst.tm_year;
    first.tm_mon = month;
    first.tm_mday = 1;
    time_t f = timegm(&first);
    std::tm fm{};
    gmtime_r(&f, &fm);
    int day = 1 + (7 - fm.tm_wday) % 7 + 7 * (nth - 1);
    std::tm d{};
    d.tm_year = pst.tm_year;
    d.tm_mon = month;
    d.tm_mday = day;
    return static_cast<int64_t>(timegm(&d));  // midnight UTC of that day
  };
  int64_t start = sunday_of(2, 2) + 10 * 3600;
  int64_t end = sunday_of(10, 1) + 9 * 3600;
  return utc_s >= start && utc_s < end;
}

}  // namespace

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

int64_t NextPacificMidnightMs(int64_t now_ms) {
  int64_t now_s = now_ms / 1000;
  int64_t offset = IsUsDst(now_s) ? -7 * 3600 : -8 * 3600;
  int64_t local = now_s + offset;
  int64_t midnight_local = (local / 86400 + 1) * 86400;
  int64_t candidate = midnight_local - offset;
  // The offset may change between now and midnight (only on a switch day).
  int64_t offset_then = IsUsDst(candidate) ? -7 * 3600 : -8 * 3600;
  return (midnight_local - offset_then) * 1000;
}

herald::Outcome ClassifyGoogleError(const GoogleError& e, const herald::Response& r, int64_t now_ms,
                                    std::string_view what) {
  std::string reason = std::string(what) + ": " + e.message;
  if (!e.reason.empty()) reason += " (" + e.reason + ")";
  herald::Outcome out = [&] {
    if (e.reason == "quotaExceeded" || e.reason == "dailyLimitExceeded") {
      return herald::Outcome::Retry(NextPacificMidnightMs(now_ms),
                                    "YouTube quota spent: " + reason);
    }
    if (e.reason == "rateLimitExceeded" || e.reason == "userRateLimitExceeded" ||
        e.http_status == 429) {
      int64_t at = now_ms + 60'000;
      if (auto ra = r.HeaderValue("Retry-After")) {
        long long s = std::atoll(ra->c_str());
        if (s > 0) at = now_ms + s * 1000;
      }
      return herald::Outcome::Retry(at, "rate limited: " + reason);
    }
    if (e.http_status >= 500 || e.reason == "backendError" || e.reason == "internalError") {
      return herald::Outcome::Retry(0, reason);
    }
    if (e.http_status == 401) return herald::Outcome::AuthExpired(reason);
    return herald::Outcome::Failed(reason);
  }();
  out.WithHttpStatus(e.http_status);
  if (!e.reason.empty()) out.WithPlatformCode(e.reason);
  return out;
}

}  // namespace herald::connectors::youtube
