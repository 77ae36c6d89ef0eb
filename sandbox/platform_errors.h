// Error responses in the platforms' own shapes: the Graph API's
// {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}} and
// Google's {"error": {"code", "message", "errors": [{"domain", "reason"}],
// "status"}}, plus the Graph rate-limit usage headers. Safe from any thread.
#pragma once

#include <string>

#include "sandbox/http_message.h"

namespace herald::sandbox {

// A Graph API error. `subcode` 0 leaves error_subcode out, as the API does.
HttpResponse GraphError(int http_status, int code, int subcode, const std::string& type,
                        const std::string& message);
// Code 190 (OAuthException): subcode 463 when expired, none when unknown.
HttpResponse GraphTokenError(bool expired);
// Code 100: a required parameter is missing or a value is invalid.
HttpResponse GraphParamError(const std::string& message, int subcode = 0);
// Rate limits 4 (application), 17 (user), 32 (page), 613 (custom), with the
// X-App-Usage and X-Business-Use-Case-Usage headers at 100%.
HttpResponse GraphRateLimitError(int code, const std::string& account_id);
// Code 803/100 for an object id the Graph API does not know.
HttpResponse GraphUnknownObject(const std::string& id);
// Adds the usage headers with `percent` used, as the Graph API does on every
// call to a page or Instagram account.
void AddGraphUsageHeaders(HttpResponse& response, const std::string& account_id, int percent);

// A Google API error in the JSON shape YouTube Data API v3 returns.
HttpResponse GoogleError(int http_status, const std::string& domain, const std::string& reason,
                         const std::string& message);
HttpResponse GoogleAuthError();
HttpResponse GoogleQuotaExceeded();
HttpResponse GoogleBackendError(int http_status);

}  // namespace herald::sandbox
