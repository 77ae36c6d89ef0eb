#include "ctl/api_commands.h"

#include <cpprest/json.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <sstream>
#include <vector>

namespace herald::ctl {

namespace {

using web::json::value;

std::string S(const value& object, const char* field) {
  if (!object.is_object() || !object.has_field(field)) return "";
  const value& v = object.at(field);
  if (v.is_string()) return v.as_string();
  if (v.is_null()) return "";
  return v.serialize();
}

int64_t I(const value& object, const char* field) {
  if (!object.is_object() || !object.has_field(field) || !object.at(field).is_number()) return 0;
  return object.at(field).as_number().to_int64();
}

// Milliseconds since the epoch, in the viewer's time zone.
std::string LocalTime(int64_t ms) {
  if (ms == 0) return "-";
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm);
  return buf;
}

// "2027-01-05T15:00:00.000Z" -> local time.
std::string LocalFromText(const std::string& text) {
  std::tm tm{};
  if (text.size() < 19 || !strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return text;
  return LocalTime(static_cast<int64_t>(timegm(&tm)) * 1000);
}

std::string Colour(const OutputOptions& o, const std::string& state) {
  if (!o.color) return state;
  const char* code = "0";
  if (state == "published" || state == "ok") code = "32";
  if (state == "failed" || state == "auth_expired" || state == "no_plugin" ||
      state == "connector_failed") {
    code = "31";
  }
  if (state == "unknown" || state == "paused" || state == "warning" || state == "quota_exhausted") {
    code = "33";
  }
  if (state == "running") code = "36";
  if (state == "cancelled") code = "2";
  return std::string("\033[") + code + "m" + state + "\033[0m";
}

size_t VisibleWidth(const std::string& s) {
  size_t w = 0;
  bool esc = false;
  for (unsigned char c : s) {
    if (c == 0x1b)
      esc = true;
    else if (esc && c == 'm')
      esc = false;
    else if (!esc && (c & 0xC0) != 0x80)
      ++w;
  }
  return w;
}

void Table(std::ostream& out, const std::vector<std::string>& head,
           const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(head.size());
  for (size_t i = 0; i < head.size(); ++i) width[i] = head[i].size();
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], VisibleWidth(r[i]));
  auto line = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      out << r[i];
      if (i + 1 < r.size()) out << std::string(width[i] - VisibleWidth(r[i]) + 2, ' ');
    }
    out << "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
}

std::string Path(const ApiCommand& c) {
  if (c.name == "status") return "/v1/status";
  if (c.name == "plugins") return "/v1/plugins";
  if (c.name == "accounts") return "/v1/accounts";
  if (c.name == "pause" || c.name == "resume" || c.name == "reload") return "/v1/" + c.name;
  if (c.name == "job") return "/v1/jobs/" + UrlEncode(c.job_id);
  if (c.name == "jobs") {
    std::string p = "/v1/jobs";
    char sep = '?';
    for (const auto& [k, v] : c.query) {
      if (v.empty()) continue;
      p += sep + k + "=" + UrlEncode(v);
      sep = '&';
    }
    return p;
  }
  return "/v1/jobs/" + UrlEncode(c.job_id) + "/" + c.name;
}

int ExitFor(const Error& e) {
  switch (e.code()) {
    case ErrorCode::kUnavailable:
      return kExitNotRunning;
    case ErrorCode::kPermissionDenied:
      return kExitForbidden;
    default:
      return kExitRefused;
  }
}

void PrintJobs(const value& jobs, const OutputOptions& o, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& j : jobs.as_array()) {
    rows.push_back({S(j, "id"), Colour(o, S(j, "state")), LocalTime(I(j, "due_ms")),
                    S(j, "account"), S(j, "campaign"), S(j, "post"), S(j, "member"),
                    std::to_string(I(j, "attempts"))});
  }
  Table(out, {"ID", "STATE", "DUE", "ACCOUNT", "CAMPAIGN", "POST", "MEMBER", "ATTEMPTS"}, rows);
}

void PrintLoad(const value& r, std::ostream& out) {
  out << S(r, "summary") << "\n";
  if (r.has_field("diagnostics")) {
    for (const auto& d : r.at("diagnostics").as_array()) out << "  " << S(d, "text") << "\n";
  }
}

void PrintHuman(const ApiCommand& c, const value& v, const OutputOptions& o, std::ostream& out) {
  if (c.name == "status") {
    out << "heraldd " << S(v, "version") << " (pid " << I(v, "pid") << "), up " << I(v, "uptime_s")
        << " s since " << LocalFromText(S(v, "started")) << "\n";
    out << "jobs:";
    for (const char* st : {"pending", "running", "published", "failed", "cancelled", "unknown"}) {
      out << " " << Colour(o, st) << "=" << I(v.at("jobs"), st);
    }
    out << "\n";
    const value& next = v.at("next_due");
    out << "next due: " << (next.is_null() ? "none" : LocalFromText(S(next, "at"))) << "\n";
    out << "plugins:";
    for (const auto& p : v.at("plugins").as_array()) out << " " << p.as_string();
    out << "\n";
    const auto& paused = v.at("paused").as_array();
    if (paused.size() == 0) out << "paused: nothing\n";
    for (const auto& p : paused) {
      out << "paused: " << S(p, "scope") << (S(p, "name").empty() ? "" : " " + S(p, "name"))
          << " since " << LocalFromText(S(p, "since")) << " (" << S(p, "reason") << ")\n";
    }
    const value& cal = v.at("calendars");
    out << "calendars:";
    for (const auto& d : cal.at("dirs").as_array()) out << " " << d.as_string();
    out << "\nlast load: ";
    if (cal.at("last_load").is_null()) {
      out << "none\n";
    } else {
      PrintLoad(cal.at("last_load"), out);
    }
    if (v.has_field("api_warnings")) {
      for (const auto& w : v.at("api_warnings").as_array()) {
        out << Colour(o, "warning") << ": " << S(w, "message") << "\n";
      }
    }
  } else if (c.name == "jobs") {
    PrintJobs(v.at("jobs"), o, out);
    if (!v.at("next_cursor").is_null()) {
      out << "more: --cursor " << v.at("next_cursor").as_string() << "\n";
    }
  } else if (c.name == "job") {
    for (const char* f : {"id", "calendar", "campaign", "goal", "post", "account", "member",
                          "remote_id", "url", "last_error"}) {
      if (!S(v, f).empty()) out << f << ": " << S(v, f) << "\n";
    }
    out << "state: " << Colour(o, S(v, "state")) << "\n";
    out << "due: " << LocalTime(I(v, "due_ms")) << "\n";
    out << "next attempt: " << LocalFromText(S(v, "next_attempt")) << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : v.at("attempt_history").as_array()) {
      rows.push_back({std::to_string(I(a, "n")), LocalFromText(S(a, "started")),
                      S(a, "outcome").empty() ? "running" : S(a, "outcome"),
                      I(a, "http_status") ? std::to_string(I(a, "http_status")) : "-",
                      S(a, "message")});
    }
    out << "attempts:\n";
    Table(out, {"N", "STARTED", "OUTCOME", "HTTP", "MESSAGE"}, rows);
    out << "rendered post:\n" << v.at("rendered").serialize() << "\n";
  } else if (c.name == "plugins") {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : v.at("plugins").as_array()) {
      rows.push_back({S(p, "platform"), S(p, "version"), S(p, "path"), S(p, "description")});
    }
    Table(out, {"PLATFORM", "VERSION", "PATH", "DESCRIPTION"}, rows);
    for (const auto& p : v.at("problems").as_array()) out << "problem: " << p.as_string() << "\n";
  } else if (c.name == "accounts") {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : v.at("accounts").as_array()) {
      rows.push_back({S(a, "name"), Colour(o, S(a, "state")),
                      S(a, "plugin_loaded") == "true" ? "yes" : "no", S(a, "reason")});
    }
    Table(out, {"ACCOUNT", "STATE", "PLUGIN", "REASON"}, rows);
    for (const auto& a : v.at("accounts").as_array()) {
      if (a.has_field("quota") && a.at("quota").is_object()) {
        out << S(a, "name") << " quota " << S(a.at("quota"), "day") << ":";
        for (const auto& b : a.at("quota").at("buckets").as_array()) {
          out << " " << S(b, "bucket") << " " << I(b, "used") << "/" << I(b, "per_day");
        }
        out << " (resets " << LocalFromText(S(a.at("quota"), "resets_at")) << ")\n";
      }
      if (a.has_field("api") && a.at("api").is_object() && !S(a.at("api"), "message").empty()) {
        out << Colour(o, "warning") << ": " << S(a.at("api"), "message") << "\n";
      }
    }
  } else if (c.name == "reload") {
    PrintLoad(v, out);
  } else if (c.name == "pause" || c.name == "resume") {
    out << (c.name == "pause" ? "paused " : "resumed ") << S(v, "scope")
        << (S(v, "name").empty() ? "" : " " + S(v, "name"));
    if (S(v, "scope") == "all") {
      out << (c.name == "pause"
                  ? ": nothing is published on any account until `heraldctl resume all`"
                  : ": every account publishes again (unless paused on its own)");
    }
    out << "\n";
  } else {
    out << "job " << S(v, "id") << " is now " << Colour(o, S(v, "state")) << "\n";
  }
}

}  // namespace

std::string UrlEncode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == ':') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

int RunApiCommand(const ApiCommand& c, ControlClient& client, const OutputOptions& o,
                  std::ostream& out, std::ostream& err) {
  if (c.name == "watch") {
    Status s = client.Stream("/v1/events", [&](const std::string& line) {
      if (o.json) {
        out << line << std::endl;
        return true;
      }
      std::error_code ec;
      value e = value::parse(line, ec);
      if (ec || S(e, "type") == "hello") return true;
      if (S(e, "type") == "reload") {
        out << LocalTime(I(e, "at_ms")) << "  reload  " << S(e, "message") << std::endl;
      } else {
        out << LocalTime(I(e, "at_ms")) << "  " << Colour(o, S(e, "state")) << "  "
            << S(e, "account") << "  " << S(e, "id") << "  " << S(e, "message") << std::endl;
      }
      return true;
    });
    if (!s.ok()) {
      err << "heraldctl: " << s.error().message() << "\n";
      return ExitFor(s.error());
    }
    // Only heraldd ends the stream: it stopped (or is restarting).
    err << "heraldctl: heraldd closed the event stream (it stopped or is restarting)\n";
    return kExitNotRunning;
  }
  bool post = !(c.name == "status" || c.name == "jobs" || c.name == "job" || c.name == "plugins" ||
                c.name == "accounts");
  auto reply = client.Call(post ? "POST" : "GET", Path(c), post ? c.body : std::string());
  if (!reply.ok()) {
    err << "heraldctl: " << reply.error().message() << "\n";
    return ExitFor(reply.error());
  }
  std::error_code ec;
  value v = value::parse(reply->body, ec);
  if (reply->status >= 400) {
    std::string message = ec ? reply->body : S(v.has_field("error") ? v.at("error") : v, "message");
    if (o.json) {
      out << reply->body;
    } else {
      err << "heraldctl: " << message << " (HTTP " << reply->status << ")\n";
    }
    return reply->status == 403 ? kExitForbidden : kExitRefused;
  }
  if (ec) {
    err << "heraldctl: the daemon's answer is not JSON: " << ec.message() << "\n";
    return kExitRefused;
  }
  try {
    if (o.json) {
      out << v.serialize() << "\n";
    } else {
      PrintHuman(c, v, o, out);
    }
  } catch (const web::json::json_exception& e) {
    err << "heraldctl: unexpected answer from the daemon: " << e.what() << "\n";
    return kExitRefused;
  }
  if (c.name == "reload" && S(v, "ok") != "true") return kExitRefused;
  return kExitOk;
}

}  // namespace herald::ctl
