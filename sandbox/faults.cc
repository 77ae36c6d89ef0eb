#include "sandbox/faults.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace herald::sandbox {

namespace {

const std::map<std::string, FaultKind>& KindsByName() {
  static const std::map<std::string, FaultKind> kinds = {
      {"status", FaultKind::kStatus},
      {"retry_after", FaultKind::kRetryAfter},
      {"rate_limit", FaultKind::kRateLimit},
      {"token_expired", FaultKind::kTokenExpired},
      {"delay", FaultKind::kDelay},
      {"drop", FaultKind::kDrop},
      {"container_error", FaultKind::kContainerError},
      {"container_stuck", FaultKind::kContainerStuck},
      {"upload_break", FaultKind::kUploadBreak},
      {"forge", FaultKind::kForge},
  };
  return kinds;
}

Result<int> ParseInt(const std::string& key, const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error(ErrorCode::kInvalidArgument, "fault: '" + key + "' must be an integer");
  }
  return value;
}

Status SetField(FaultRule& rule, const std::string& key, const std::string& value) {
  auto set_int = [&](int& out) -> Status {
    Result<int> parsed = ParseInt(key, value);
    if (!parsed) return parsed.error();
    out = *parsed;
    return Status::Ok();
  };
  if (key == "kind") {
    auto it = KindsByName().find(value);
    if (it == KindsByName().end()) {
      return Error(ErrorCode::kInvalidArgument, "fault: unknown kind '" + value + "'");
    }
    rule.kind = it->second;
    return Status::Ok();
  }
  if (key == "path") {
    rule.path = value;
    return Status::Ok();
  }
  if (key == "method") {
    rule.method = value;
    std::transform(rule.method.begin(), rule.method.end(), rule.method.begin(), ::toupper);
    return Status::Ok();
  }
  if (key == "reason") {
    rule.reason = value;
    return Status::Ok();
  }
  if (key == "body") {
    rule.body = value;
    return Status::Ok();
  }
  if (key == "location") {
    rule.location = value;
    return Status::Ok();
  }
  if (key == "count") return set_int(rule.count);
  if (key == "status") return set_int(rule.status);
  if (key == "retry_after") return set_int(rule.retry_after);
  if (key == "code") return set_int(rule.code);
  if (key == "delay_ms") return set_int(rule.delay_ms);
  return Error(ErrorCode::kInvalidArgument, "fault: unknown key '" + key + "'");
}

Status Validate(const FaultRule& rule) {
  if (rule.count == 0 || rule.count < -1) {
    return Error(ErrorCode::kInvalidArgument, "fault: count must be positive or -1 (always)");
  }
  if (rule.kind == FaultKind::kStatus && (rule.status < 400 || rule.status > 599)) {
    return Error(ErrorCode::kInvalidArgument, "fault: status must be 4xx or 5xx");
  }
  if (rule.kind == FaultKind::kForge && (rule.status < 200 || rule.status > 599)) {
    return Error(ErrorCode::kInvalidArgument, "fault: a forged status must be 200..599");
  }
  if (rule.kind == FaultKind::kRateLimit && rule.code != 0 && rule.code != 4 && rule.code != 17 &&
      rule.code != 32 && rule.code != 613) {
    return Error(ErrorCode::kInvalidArgument, "fault: rate-limit code must be 4, 17, 32 or 613");
  }
  if (rule.delay_ms < 0 || rule.delay_ms > 600000 || rule.retry_after < 0) {
    return Error(ErrorCode::kInvalidArgument, "fault: delay_ms and retry_after out of range");
  }
  return Status::Ok();
}

}  // namespace

const char* FaultKindName(FaultKind kind) {
  for (const auto& [name, value] : KindsByName()) {
    if (value == kind) return name.c_str();
  }
  return "unknown";
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<FaultRule> ParseFaultSpec(const std::string& spec) {
  FaultRule rule;
  bool has_kind = false;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string pair = spec.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (eq == std::string::npos) {
        return Error(ErrorCode::kInvalidArgument, "fault: expected key=value, got '" + pair + "'");
      }
      std::string key = pair.substr(0, eq);
      has_kind = has_kind || key == "kind";
      if (Status s = SetField(rule, key, pair.substr(eq + 1)); !s) return s.error();
    }
    start = end + 1;
  }
  if (!has_kind) return Error(ErrorCode::kInvalidArgument, "fault: 'kind' is required");
  if (Status s = Validate(rule); !s) return s.error();
  return rule;
}

Result<FaultRule> FaultFromJson(const web::json::value& json) {
  if (!json.is_object()) return Error(ErrorCode::kInvalidArgument, "fault: expected a JSON object");
  FaultRule rule;
  if (!json.has_field("kind"))
    return Error(ErrorCode::kInvalidArgument, "fault: 'kind' is required");
  for (const auto& [key, value] : json.as_object()) {
    std::string text;
    if (value.is_string()) {
      text = value.as_string();
    } else if (value.is_integer()) {
      text = std::to_string(value.as_integer());
    } else {
      return Error(ErrorCode::kInvalidArgument, "fault: '" + key + "' must be a string or integer");
    }
    if (Status s = SetField(rule, key, text); !s) return s.error();
  }
  if (Status s = Validate(rule); !s) return s.error();
  return rule;
}

web::json::value FaultToJson(const FaultRule& rule) {
  web::json::value out = web::json::value::object();
  out["id"] = web::json::value::string(rule.id);
  out["kind"] = web::json::value::string(FaultKindName(rule.kind));
  out["path"] = web::json::value::string(rule.path);
  out["method"] = web::json::value::string(rule.method);
  out["count"] = web::json::value::number(rule.count);
  out["status"] = web::json::value::number(rule.status);
  out["retry_after"] = web::json::value::number(rule.retry_after);
  out["code"] = web::json::value::number(rule.code);
  out["reason"] = web::json::value::string(rule.reason);
  out["delay_ms"] = web::json::value::number(rule.delay_ms);
  if (rule.kind == FaultKind::kForge) {
    out["body"] = web::json::value::string(rule.body);
    out["location"] = web::json::value::string(rule.location);
  }
  return out;
}

std::string FaultSet::Add(FaultRule rule) {
  std::lock_guard<std::mutex> lock(mu_);
  rule.id = "fault-" + std::to_string(next_id_++);
  rules_.push_back(rule);
  any_ = true;
  return rule.id;
}

std::optional<FaultRule> FaultSet::Take(const std::string& method, const std::string& path) {
  if (!any_.load(std::memory_order_relaxed)) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (!it->method.empty() && it->method != method) continue;
    if (!GlobMatch(it->path, path)) continue;
    FaultRule taken = *it;
    if (it->count > 0 && --it->count == 0) rules_.erase(it);
    any_ = !rules_.empty();
    return taken;
  }
  return std::nullopt;
}

std::vector<FaultRule> FaultSet::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rules_;
}

void FaultSet::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
  any_ = false;
}

}  // namespace herald::sandbox
