#include "sandbox/request_log.h"

#include <ctime>
#include <set>

#include "sandbox/faults.h"

namespace herald::sandbox {

namespace {

bool IsSecret(const std::string& key) {
  static const std::set<std::string> secrets = {
      "access_token",      "refresh_token", "client_secret", "code",         "input_token",
      "fb_exchange_token", "id_token",      "authorization", "code_verifier"};
  return secrets.count(key) != 0;
}

constexpr size_t kMaxValueChars = 256;

}  // namespace

web::json::value MaskedParams(const HttpRequest& request) {
  web::json::value out = web::json::value::object();
  for (const auto& [key, value] : request.params) {
    if (IsSecret(key)) {
      out[key] = JsonStr("***");
    } else if (value.size() > kMaxValueChars) {
      out[key] = JsonStr(value.substr(0, kMaxValueChars) + "...(" + std::to_string(value.size()) +
                         " bytes)");
    } else {
      out[key] = JsonStr(value);
    }
  }
  for (const auto& [key, file] : request.files) {
    web::json::value part = web::json::value::object();
    part["filename"] = JsonStr(file.filename);
    part["bytes"] = web::json::value::number(static_cast<int64_t>(file.data.size()));
    out[key] = part;
  }
  std::string authorization = request.Header("authorization");
  if (!authorization.empty()) {
    size_t space = authorization.find(' ');
    out["Authorization"] =
        JsonStr(space == std::string::npos ? "***" : authorization.substr(0, space) + " ***");
  }
  std::string range = request.Header("content-range");
  if (!range.empty()) out["Content-Range"] = JsonStr(range);
  // The Resumable Upload API's offset header and raw byte bodies.
  std::string offset = request.Header("file_offset");
  if (!offset.empty()) out["file_offset"] = JsonStr(offset);
  if (request.Header("content-type").rfind("application/octet-stream", 0) == 0) {
    out["body_bytes"] = web::json::value::number(static_cast<int64_t>(request.body.size()));
  }
  return out;
}

std::string FormatMicros(TimePoint time) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch());
  std::time_t seconds = static_cast<std::time_t>(micros.count() / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(micros.count() % 1000000));
  return buffer;
}

web::json::value LogEntryToJson(const LogEntry& entry) {
  web::json::value out = web::json::value::object();
  out["seq"] = web::json::value::number(entry.seq);
  out["time"] = JsonStr(FormatMicros(entry.time));
  out["method"] = JsonStr(entry.method);
  out["path"] = JsonStr(entry.path);
  out["params"] = entry.params.is_null() ? web::json::value::object() : entry.params;
  out["status"] = web::json::value::number(entry.status);
  out["fault"] = entry.fault.empty() ? web::json::value::null() : JsonStr(entry.fault);
  out["duration_us"] = web::json::value::number(entry.duration_us);
  return out;
}

RequestLog::RequestLog(size_t capacity) : capacity_(capacity) {}

RequestLog::~RequestLog() {
  if (file_) std::fclose(file_);
}

Status RequestLog::OpenFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (!file) return Error(ErrorCode::kIo, "cannot open the request log " + path);
  std::lock_guard<std::mutex> lock(mu_);
  if (file_) std::fclose(file_);
  file_ = file;
  return Status::Ok();
}

void RequestLog::Add(LogEntry entry) {
  std::lock_guard<std::mutex> lock(mu_);
  entry.seq = next_seq_++;
  if (file_) {
    std::string line = LogEntryToJson(entry).serialize() + "\n";
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
  entries_.push_back(std::move(entry));
  if (entries_.size() > capacity_) entries_.pop_front();
}

std::vector<LogEntry> RequestLog::Query(const std::string& path_glob, const std::string& method,
                                        uint64_t after) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LogEntry> out;
  for (const LogEntry& entry : entries_) {
    if (entry.seq <= after) continue;
    if (!method.empty() && entry.method != method) continue;
    if (!path_glob.empty() && !GlobMatch(path_glob, entry.path)) continue;
    out.push_back(entry);
  }
  return out;
}

void RequestLog::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

}  // namespace herald::sandbox
