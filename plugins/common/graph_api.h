// GraphApi: requests to Meta's Graph API (Facebook Pages, Instagram) and the
// classification of its documented errors into herald outcomes.
//
// The access token travels as the documented `access_token` parameter and is
// always declared a secret, so the host redacts it. GraphApi holds a Host
// (valid for the connector's life) and is used by one connector, one call at
// a time. The classification functions are pure.
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/form.h"

namespace herald::connectors {

// The `error` object of a Graph error body.
struct GraphError {
  int http_status = 0;
  int64_t code = 0;
  int64_t subcode = 0;
  std::string type;
  std::string message;
  bool is_transient = false;
  // "code" or "code/subcode", for herald_outcome.platform_code.
  std::string CodeText() const;
};

// The Graph error in `r`; nullopt when `r` is a success (2xx without an
// `error` member). A non-2xx answer whose body is not a Graph error yields an
// error with code 0 and a message naming the HTTP status.
std::optional<GraphError> ParseGraphError(const herald::Response& r);

// When a rate-limited caller may try again, in Unix ms: Retry-After, else the
// longest `estimated_time_to_regain_access` (minutes) of
// X-Business-Use-Case-Usage (at most a day), else one minute from `now_ms`.
int64_t GraphRateLimitResumeMs(const herald::Response& r, int64_t now_ms);

// The outcome for a Graph error, by the documented codes:
//   1, 2, is_transient, HTTP 5xx, 429      -> retry, at Retry-After when sent
//   4, 17, 32, 613, 80001-80014            -> retry at GraphRateLimitResumeMs
//   190, 102, 10, 200-299                  -> auth_expired (an admin must re-authorize)
//   no Graph code but a Retry-After        -> retry at Retry-After
//   anything else (100, 368, 324, ...)     -> failed with the platform's message
// `what` names the action for the reason ("creating the feed post").
herald::Outcome ClassifyGraphError(const GraphError& e, const herald::Response& r, int64_t now_ms,
                                   std::string_view what);

// ClassifyGraphError for the Graph error in `r`, or nullopt when `r` is a success.
std::optional<herald::Outcome> GraphErrorOutcome(const herald::Response& r, int64_t now_ms,
                                                 std::string_view what);

// Every request refuses a `path` that is not a Graph path (common/origin.h,
// IsGraphPath) with HERALD_ERR_INVALID_ARGUMENT and sends nothing: ids taken
// from answers go into paths, and must not lead the token elsewhere.
class GraphApi {
 public:
  // `base` without a trailing slash ("https://graph.facebook.com"); `version` "v21.0".
  GraphApi(herald::Host host, std::string base, std::string version);

  // GET base/version/path?query&access_token=...
  herald::HttpResult Get(const std::string& path, Params query, const std::string& token) const;
  // POST a form body (with access_token).
  herald::HttpResult Post(const std::string& path, Params form, const std::string& token) const;
  // POST with the parameters (and access_token) in the query string and no
  // body, as the Resumable Upload API's session request is documented.
  herald::HttpResult PostQuery(const std::string& path, Params query,
                               const std::string& token) const;
  // POST multipart/form-data (with an access_token field).
  herald::HttpResult PostMultipart(const std::string& path,
                                   std::vector<herald::MultipartPart> parts,
                                   const std::string& token) const;

  const std::string& version() const { return version_; }
  const std::string& base() const { return base_; }
  // base/version/path, `path` appended as it is (an upload session id keeps
  // its "?sig=..." part).
  std::string Url(const std::string& path) const;

 private:
  herald::Host host_;
  std::string base_;
  std::string version_;
};

// `fallback` ("https://graph.facebook.com") unless `api_base` overrides it
// (trailing '/' removed).
std::string GraphBase(const std::optional<std::string>& api_base,
                      const char* fallback = "https://graph.facebook.com");

}  // namespace herald::connectors
