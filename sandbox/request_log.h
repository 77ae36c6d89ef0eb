// The request log: one entry per request the sandbox answered (time with
// microseconds, method, path, parameters with secrets masked, status, fault
// applied), kept in memory for GET /_sandbox/requests and, when a file is
// given, appended to it as JSON lines. Thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <cpprest/json.h>

#include "daemon/common/result.h"
#include "sandbox/clock.h"
#include "sandbox/http_message.h"

namespace herald::sandbox {

struct LogEntry {
  uint64_t seq = 0;  // assigned by RequestLog::Add, from 1
  TimePoint time;
  std::string method;
  std::string path;
  web::json::value params;  // masked; see MaskedParams
  int status = 0;
  std::string fault;  // the fault kind applied, or ""
  int64_t duration_us = 0;
};

// The request's parameters as a JSON object with access_token, refresh_token,
// client_secret, code and the Authorization header masked as "***", long
// values shortened and file parts reduced to their name and size; the
// Content-Range and file_offset headers kept, and the size of an
// application/octet-stream body as body_bytes.
web::json::value MaskedParams(const HttpRequest& request);
// "2025-03-01T09:30:00.123456Z"
std::string FormatMicros(TimePoint time);
web::json::value LogEntryToJson(const LogEntry& entry);

class RequestLog {
 public:
  explicit RequestLog(size_t capacity = 100000);
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  // Also append every entry to `path` as JSON lines (created or appended).
  Status OpenFile(const std::string& path);
  void Add(LogEntry entry);
  // Entries oldest first whose path matches the glob and method matches
  // (empty: any), with seq > after.
  std::vector<LogEntry> Query(const std::string& path_glob, const std::string& method,
                              uint64_t after) const;
  void Clear();

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<LogEntry> entries_;  // guarded by mu_
  uint64_t next_seq_ = 1;         // guarded by mu_
  std::FILE* file_ = nullptr;     // guarded by mu_
};

}  // namespace herald::sandbox
