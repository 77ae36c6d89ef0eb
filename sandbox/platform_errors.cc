#include "sandbox/platform_errors.h"

#include <atomic>

namespace herald::sandbox {

namespace {

std::string NextTraceId() {
  static std::atomic<uint64_t> counter{0};
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t value = (++counter) * 0x9E3779B97F4A7C15ULL;
  std::string id;
  for (int i = 0; i < 11; ++i) {
    id.push_back(kAlphabet[value % 62]);
    value /= 62;
  }
  return id;
}

const char* GoogleStatusName(int http_status) {
  switch (http_status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    default:
      return http_status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
  }
}

}  // namespace

HttpResponse GraphError(int http_status, int code, int subcode, const std::string& type,
                        const std::string& message) {
  web::json::value error = web::json::value::object();
  error["message"] = JsonStr(message);
  error["type"] = JsonStr(type);
  error["code"] = web::json::value::number(code);
  if (subcode != 0) error["error_subcode"] = web::json::value::number(subcode);
  error["fbtrace_id"] = JsonStr(NextTraceId());
  web::json::value body = web::json::value::object();
  body["error"] = error;
  HttpResponse response = HttpResponse::Json(http_status, body);
  if (code == 190) {
    response.AddHeader("WWW-Authenticate",
                       "OAuth \"Facebook Platform\" \"invalid_token\" \"" + message + "\"");
  }
  return response;
}

HttpResponse GraphTokenError(bool expired) {
  if (expired) {
    return GraphError(400, 190, 463, "OAuthException",
                      "Error validating access token: Session has expired.");
  }
  return GraphError(400, 190, 0, "OAuthException",
                    "Invalid OAuth access token - Cannot parse access token");
}

HttpResponse GraphParamError(const std::string& message, int subcode) {
  return GraphError(400, 100, subcode, "OAuthException", "(#100) " + message);
}

HttpResponse GraphRateLimitError(int code, const std::string& account_id) {
  std::string message;
  switch (code) {
    case 4:
      message = "(#4) Application request limit reached";
      break;
    case 17:
      message = "(#17) User request limit reached";
      break;
    case 32:
      message = "(#32) Page request limit reached";
      break;
    default:
      code = 613;
      message = "(#613) Calls to this api have exceeded the rate limit.";
  }
  HttpResponse response = GraphError(400, code, 0, "OAuthException", message);
  AddGraphUsageHeaders(response, account_id, 100);
  return response;
}

HttpResponse GraphUnknownObject(const std::string& id) {
  return GraphError(400, 100, 33, "GraphMethodException",
                    "Unsupported get request. Object with ID '" + id +
                        "' does not exist, cannot be loaded due to missing permissions, or does "
                        "not support this operation.");
}

void AddGraphUsageHeaders(HttpResponse& response, const std::string& account_id, int percent) {
  web::json::value app = web::json::value::object();
  app["call_count"] = web::json::value::number(percent);
  app["total_cputime"] = web::json::value::number(percent / 2);
  app["total_time"] = web::json::value::number(percent / 2);
  response.AddHeader("X-App-Usage", app.serialize());
  if (account_id.empty()) return;
  web::json::value usage = web::json::value::object();
  usage["type"] = JsonStr("pages");
  usage["call_count"] = web::json::value::number(percent);
  usage["total_cputime"] = web::json::value::number(percent / 2);
  usage["total_time"] = web::json::value::number(percent / 2);
  usage["estimated_time_to_regain_access"] = web::json::value::number(percent >= 100 ? 60 : 0);
  web::json::value business = web::json::value::object();
  business[account_id] = web::json::value::array({usage});
  response.AddHeader("X-Business-Use-Case-Usage", business.serialize());
}

HttpResponse GoogleError(int http_status, const std::string& domain, const std::string& reason,
                         const std::string& message) {
  web::json::value item = web::json::value::object();
  item["message"] = JsonStr(message);
  item["domain"] = JsonStr(domain);
  item["reason"] = JsonStr(reason);
  web::json::value error = web::json::value::object();
  error["code"] = web::json::value::number(http_status);
  error["message"] = JsonStr(message);
  error["errors"] = web::json::value::array({item});
  error["status"] = JsonStr(GoogleStatusName(http_status));
  web::json::value body = web::json::value::object();
  body["error"] = error;
  return HttpResponse::Json(http_status, body);
}

HttpResponse GoogleAuthError() {
  HttpResponse response =
      GoogleError(401, "global", "authError",
                  "Request had invalid authentication credentials. Expected OAuth 2 access "
                  "token, login cookie or other valid authentication credential.");
  response.AddHeader("WWW-Authenticate",
                     "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
  return response;
}

HttpResponse GoogleQuotaExceeded() {
  return GoogleError(403, "youtube.quota", "quotaExceeded",
                     "The request cannot be completed because you have exceeded your quota.");
}

HttpResponse GoogleBackendError(int http_status) {
  return GoogleError(http_status, "global", "backendError", "Backend Error");
}

}  // namespace herald::sandbox
