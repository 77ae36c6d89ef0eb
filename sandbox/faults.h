// Fault injection: rules that make the next N requests matching a method and
// a path pattern fail the way platforms fail (5xx, 429 + Retry-After, a rate
// limit code, an expired token), arrive late, lose their answer after being
// applied, or break a multi-step flow (a container that errors or never
// finishes, an upload cut mid-way). Rules come from --fault flags and
// POST /_sandbox/faults. FaultSet is thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cpprest/json.h>

#include "daemon/common/result.h"

namespace herald::sandbox {

enum class FaultKind {
  kStatus,          // answer with `status` (5xx) in the platform's error shape, nothing applied
  kRetryAfter,      // 429 with Retry-After: `retry_after` seconds, nothing applied
  kRateLimit,       // the platform's rate-limit error (Graph `code`, Google `reason`)
  kTokenExpired,    // the platform's expired-token error
  kDelay,           // wait `delay_ms`, then handle normally
  kDrop,            // apply the request, then close the connection without answering
  kContainerError,  // an Instagram container that ends in ERROR
  kContainerStuck,  // an Instagram container that stays IN_PROGRESS
  kUploadBreak,     // an upload chunk of which only half is stored, then the connection drops
  kForge,           // answer `status` with `body` and a `location` header, nothing applied:
                    // what a hostile server or a hijacked connection would say
};

const char* FaultKindName(FaultKind kind);

struct FaultRule {
  std::string id;  // assigned by FaultSet::Add
  FaultKind kind = FaultKind::kStatus;
  std::string path = "*";  // glob over the decoded path; '*' matches any run of characters
  std::string method;      // empty: any method
  int count = 1;           // requests left to fault; -1: every matching request
  int status = 500;
  int retry_after = 30;
  int code = 0;                          // Graph rate-limit code; 0: 32 for pages, 4 otherwise
  std::string reason = "quotaExceeded";  // Google rate-limit reason
  int delay_ms = 1000;
  std::string body;      // kForge: the answer's body (JSON text)
  std::string location;  // kForge: a Location header, when not empty
};

// Parses the --fault syntax: comma-separated key=value pairs with the same
// keys as the JSON form, e.g. "kind=drop,path=/v*/*/feed,method=POST,count=1".
Result<FaultRule> ParseFaultSpec(const std::string& spec);
Result<FaultRule> FaultFromJson(const web::json::value& json);
web::json::value FaultToJson(const FaultRule& rule);
bool GlobMatch(std::string_view pattern, std::string_view text);

class FaultSet {
 public:
  // Stores the rule and returns its id.
  std::string Add(FaultRule rule);
  // The first rule matching the request with requests left, consuming one.
  std::optional<FaultRule> Take(const std::string& method, const std::string& path);
  std::vector<FaultRule> List() const;
  void Clear();

 private:
  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;  // guarded by mu_
  int next_id_ = 1;               // guarded by mu_
  std::atomic<bool> any_{false};  // fast path: no lock when there are no rules
};

}  // namespace herald::sandbox
