// Google's error answers for the YouTube connector: the JSON error shape of
// the Data API and of the OAuth token endpoint read into GoogleError, and the
// outcome each error means for a job (retry when, auth expired, failed,
// quota exhausted: the host holds the channel's work until the quota's reset
// at midnight Pacific time, which it computes from describe()'s quota). Pure
// functions; any thread.
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::connectors::youtube {

// Google's error shape {"error":{"code","message","errors":[{"reason","domain"}]}},
// or the OAuth shape {"error":"invalid_grant","error_description":...}.
struct GoogleError {
  int http_status = 0;
  std::string reason;  // errors[0].reason ("quotaExceeded", "backendError", ...)
  std::string message;
};
// nullopt for a 2xx/308 answer.
std::optional<GoogleError> ParseGoogleError(const herald::Response& r);

// The outcome for a YouTube API error (401 is handled by the caller first):
// quotaExceeded/dailyLimitExceeded -> quota exhausted (until the reset);
// rateLimitExceeded/userRateLimitExceeded/429 -> retry after Retry-After (or a minute);
// 5xx, backendError, internalError -> retry (at Retry-After when sent); no
// reason but a Retry-After -> retry then; anything else -> failed.
herald::Outcome ClassifyGoogleError(const GoogleError& e, const herald::Response& r, int64_t now_ms,
                                    std::string_view what);

}  // namespace herald::connectors::youtube
