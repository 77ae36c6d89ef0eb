#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <regex>
#include <sstream>

#include "config/yaml_json.h"

namespace herald::config {
namespace {

namespace fs = std::filesystem;

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Reads one file's YAML tree into a Config, collecting every problem.
class Parser {
 public:
  explicit Parser(const fs::path& file) : file_(file), base_(file.parent_path()) {}

  ParseOutcome Parse(std::string_view text) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
      Report(e.mark, e.msg);
      return Finish();
    } catch (const std::exception& e) {
      Report(YAML::Mark::null_mark(), std::string("cannot parse YAML: ") + e.what());
      return Finish();
    }
    try {
      ParseRoot(root);
    } catch (const std::exception& e) {
      Report(root.Mark(), std::string("unexpected problem while reading the file: ") + e.what());
    }
    return Finish();
  }

 private:
  using Keys = std::initializer_list<const char*>;

  ParseOutcome Finish() {
    ParseOutcome outcome;
    if (diagnostics_.empty()) {
      std::sort(config_.accounts.begin(), config_.accounts.end(),
                [](const AccountConfig& a, const AccountConfig& b) { return a.name < b.name; });
      outcome.config = std::move(config_);
    }
    outcome.diagnostics = std::move(diagnostics_);
    return outcome;
  }

  void Report(const YAML::Mark& mark, std::string message) {
    Diagnostic d;
    d.file = file_.string();
    if (!mark.is_null()) {
      d.line = mark.line + 1;
      d.column = mark.column + 1;
    }
    d.message = std::move(message);
    diagnostics_.push_back(std::move(d));
  }

  // Reports keys of `map` not in `allowed`, suggesting the closest allowed one.
  void CheckKeys(const YAML::Node& map, Keys allowed, const std::string& where) {
    for (const auto& item : map) {
      const std::string key = item.first.Scalar();
      bool known = false;
      const char* best = nullptr;
      size_t best_distance = 0;
      for (const char* candidate : allowed) {
        if (key == candidate) {
          known = true;
          break;
        }
        size_t distance = EditDistance(key, candidate);
        if (!best || distance < best_distance) {
          best = candidate;
          best_distance = distance;
        }
      }
      if (known) continue;
      std::string message = "unknown key '" + key + "' in " + where;
      if (best && best_distance <= std::max<size_t>(2, key.size() / 3)) {
        message += " (did you mean '" + std::string(best) + "'?)";
      }
      Report(item.first.Mark(), message);
    }
  }

  bool ExpectMap(const YAML::Node& node, const std::string& what) {
    if (node.IsMap()) return true;
    Report(node.Mark(), what + " must be a mapping of key: value");
    return false;
  }

  std::optional<std::string> String(const YAML::Node& node, const std::string& what) {
    if (node.IsScalar()) return node.Scalar();
    Report(node.Mark(), what + " must be a string");
    return std::nullopt;
  }

  std::optional<fs::path> Path(const YAML::Node& node, const std::string& what) {
    auto text = String(node, what);
    if (!text) return std::nullopt;
    if (text->empty()) {
      Report(node.Mark(), what + " must not be empty");
      return std::nullopt;
    }
    fs::path path(*text);
    if (path.is_relative()) path = base_ / path;
    return path.lexically_normal();
  }

  std::vector<fs::path> PathList(const YAML::Node& node, const std::string& what) {
    std::vector<fs::path> paths;
    if (node.IsScalar()) {
      if (auto path = Path(node, what)) paths.push_back(*path);
      return paths;
    }
    if (!node.IsSequence()) {
      Report(node.Mark(), what + " must be a list of paths");
      return paths;
    }
    for (const auto& item : node) {
      if (auto path = Path(item, "each entry of " + what)) paths.push_back(*path);
    }
    return paths;
  }

  std::vector<std::string> StringList(const YAML::Node& node, const std::string& what) {
    std::vector<std::string> items;
    if (!node.IsSequence()) {
      Report(node.Mark(), what + " must be a list of names");
      return items;
    }
    for (const auto& item : node) {
      if (auto text = String(item, "each entry of " + what)) items.push_back(*text);
    }
    return items;
  }

  std::optional<long long> Integer(const YAML::Node& node, const std::string& what, long long min,
                                   long long max) {
    static const std::regex kInteger("-?[0-9]{1,18}");
    if (!node.IsScalar() || !std::regex_match(node.Scalar(), kInteger)) {
      Report(node.Mark(), what + " must be a whole number");
      return std::nullopt;
    }
    long long value = std::stoll(node.Scalar());
    if (value < min || value > max) {
      Report(node.Mark(), what + " must be between " + std::to_string(min) + " and " +
                              std::to_string(max) + ", not " + node.Scalar());
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::chrono::milliseconds> Duration(const YAML::Node& node,
                                                    const std::string& what) {
    static const std::regex kDuration("([0-9]{1,12})(ms|s|m|h|d)");
    std::smatch match;
    std::string text = node.IsScalar() ? node.Scalar() : std::string();
    if (!std::regex_match(text, match, kDuration)) {
      Report(node.Mark(), what + " must be a duration such as 500ms, 30s, 5m, 2h or 1d");
      return std::nullopt;
    }
    long long count = std::stoll(match[1].str());
    const std::string unit = match[2].str();
    long long factor = unit == "ms"  ? 1
                       : unit == "s" ? 1000
                       : unit == "m" ? 60000
                       : unit == "h" ? 3600000
                                     : 86400000;
    constexpr long long kTenYearsMs = 10LL * 366 * 86400000;
    if (count > kTenYearsMs / factor) {
      Report(node.Mark(), what + " must not be longer than ten years");
      return std::nullopt;
    }
    return std::chrono::milliseconds(count * factor);
  }

  void ParseRoot(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      Report(YAML::Mark::null_mark(), "the file is empty; at least calendar_dirs is required");
      return;
    }
    if (!ExpectMap(root, "the configuration")) return;
    CheckKeys(root,
              {"calendar_dirs", "plugin_dirs", "state_dir", "credentials_file", "control",
               "platforms", "accounts", "retry", "late_grace", "log_level", "media", "http"},
              "the configuration");
    config_.source = file_;
    if (root["calendar_dirs"]) {
      config_.calendar_dirs = PathList(root["calendar_dirs"], "calendar_dirs");
      if (config_.calendar_dirs.empty() && root["calendar_dirs"].IsSequence()) {
        Report(root["calendar_dirs"].Mark(), "calendar_dirs must name at least one folder");
      }
    } else {
      Report(root.Mark(), "missing required key 'calendar_dirs'");
    }
    if (root["plugin_dirs"]) config_.plugin_dirs = PathList(root["plugin_dirs"], "plugin_dirs");
    if (root["state_dir"]) {
      if (auto path = Path(root["state_dir"], "state_dir")) config_.state_dir = *path;
    }
    if (root["credentials_file"]) {
      if (auto path = Path(root["credentials_file"], "credentials_file")) {
        config_.credentials_file = *path;
      }
    }
    if (root["control"]) ParseControl(root["control"]);
    if (root["log_level"]) ParseLogLevel(root["log_level"]);
    if (root["late_grace"]) {
      if (auto d = Duration(root["late_grace"], "late_grace")) config_.late_grace = *d;
    }
    if (root["retry"]) ParseRetry(root["retry"]);
    if (root["media"]) ParseMedia(root["media"]);
    if (root["http"]) ParseHttp(root["http"]);
    if (root["platforms"]) ParsePlatforms(root["platforms"]);
    if (root["accounts"]) ParseAccounts(root["accounts"]);
  }

  void ParseAccess(const YAML::Node& node, AccessList& access, const std::string& what) {
    if (!ExpectMap(node, what)) return;
    CheckKeys(node, {"users", "groups"}, what);
    if (node["users"]) access.users = StringList(node["users"], what + ".users");
    if (node["groups"]) access.groups = StringList(node["groups"], what + ".groups");
  }

  void ParseControl(const YAML::Node& node) {
    if (!ExpectMap(node, "control")) return;
    CheckKeys(node,
              {"socket", "group", "viewers", "admins", "max_connections", "admin_connections",
               "max_connections_per_user", "header_timeout"},
              "control");
    ControlConfig& c = config_.control;
    if (node["max_connections"]) {
      if (auto n = Integer(node["max_connections"], "control.max_connections", 2, 65536)) {
        c.max_connections = static_cast<int>(*n);
      }
    }
    if (node["admin_connections"]) {
      if (auto n = Integer(node["admin_connections"], "control.admin_connections", 1, 65535)) {
        c.admin_connections = static_cast<int>(*n);
      }
    }
    if (node["max_connections_per_user"]) {
      if (auto n = Integer(node["max_connections_per_user"], "control.max_connections_per_user", 1,
                           65536)) {
        c.max_connections_per_user = static_cast<int>(*n);
      }
    }
    if (node["header_timeout"]) {
      if (auto d = Duration(node["header_timeout"], "control.header_timeout")) {
        if (*d < std::chrono::milliseconds(100) || *d > std::chrono::minutes(1)) {
          Report(node["header_timeout"].Mark(),
                 "control.header_timeout must be between 100ms and 1m");
        } else {
          c.header_timeout = *d;
        }
      }
    }
    if (c.admin_connections >= c.max_connections) {
      Report(node.Mark(), "control.admin_connections (" + std::to_string(c.admin_connections) +
                              ") must be less than control.max_connections (" +
                              std::to_string(c.max_connections) + ")");
    }
    if (node["socket"]) {
      if (auto path = Path(node["socket"], "control.socket")) config_.control.socket = *path;
    }
    if (node["group"]) {
      if (auto group = String(node["group"], "control.group")) config_.control.group = *group;
    }
    if (node["viewers"]) ParseAccess(node["viewers"], config_.control.viewers, "control.viewers");
    if (node["admins"]) ParseAccess(node["admins"], config_.control.admins, "control.admins");
  }

  void ParseLogLevel(const YAML::Node& node) {
    static const std::pair<const char*, LogLevel> kLevels[] = {{"trace", LogLevel::kTrace},
                                                               {"debug", LogLevel::kDebug},
                                                               {"info", LogLevel::kInfo},
                                                               {"warn", LogLevel::kWarn},
                                                               {"error", LogLevel::kError}};
    auto text = String(node, "log_level");
    if (!text) return;
    for (const auto& [name, level] : kLevels) {
      if (*text == name) {
        config_.log_level = level;
        return;
      }
    }
    Report(node.Mark(),
           "log_level must be one of trace, debug, info, warn, error; not '" + *text + "'");
  }

  void ParseRetry(const YAML::Node& node) {
    if (!ExpectMap(node, "retry")) return;
    CheckKeys(node, {"base_delay", "max_delay", "max_attempts", "jitter"}, "retry");
    RetryPolicy& retry = config_.retry;
    if (node["base_delay"]) {
      if (auto d = Duration(node["base_delay"], "retry.base_delay")) retry.base_delay = *d;
    }
    if (node["max_delay"]) {
      if (auto d = Duration(node["max_delay"], "retry.max_delay")) retry.max_delay = *d;
    }
    if (node["max_attempts"]) {
      if (auto n = Integer(node["max_attempts"], "retry.max_attempts", 1, 1000)) {
        retry.max_attempts = static_cast<int>(*n);
      }
    }
    if (node["jitter"]) {
      auto text = String(node["jitter"], "retry.jitter");
      if (text && *text == "full") {
        retry.jitter = Jitter::kFull;
      } else if (text && *text == "none") {
        retry.jitter = Jitter::kNone;
      } else if (text) {
        Report(node["jitter"].Mark(), "retry.jitter must be 'full' or 'none', not '" + *text + "'");
      }
    }
    if (retry.base_delay.count() <= 0) {
      Report(node["base_delay"].Mark(), "retry.base_delay must be more than 0");
    } else if (retry.max_delay < retry.base_delay) {
      Report(node.Mark(), "retry.max_delay must not be shorter than retry.base_delay");
    }
  }

  void ParseMedia(const YAML::Node& node) {
    if (!ExpectMap(node, "media")) return;
    CheckKeys(node, {"public_base_url", "dir", "mode", "group"}, "media");
    if (node["mode"]) {
      auto text = String(node["mode"], "media.mode");
      if (text && (*text == "0600" || *text == "600")) {
        config_.media.mode = 0600;
      } else if (text && (*text == "0640" || *text == "640")) {
        config_.media.mode = 0640;
      } else if (text && (*text == "0644" || *text == "644")) {
        config_.media.mode = 0644;
      } else if (text) {
        Report(node["mode"].Mark(),
               "media.mode must be \"0600\", \"0640\" or \"0644\", not '" + *text + "'");
      }
    }
    if (node["group"]) {
      if (auto group = String(node["group"], "media.group")) config_.media.group = *group;
    }
    if (node["public_base_url"]) {
      auto url = String(node["public_base_url"], "media.public_base_url");
      if (url && CheckUrl(node["public_base_url"], *url, "media.public_base_url")) {
        config_.media.public_base_url = *url;
      }
    }
    if (node["dir"]) {
      if (auto path = Path(node["dir"], "media.dir")) config_.media.dir = *path;
    }
    if (config_.media.public_base_url.empty() != config_.media.dir.empty()) {
      Report(node.Mark(), "media needs both public_base_url and dir");
    }
  }

  void ParseHttp(const YAML::Node& node) {
    if (!ExpectMap(node, "http")) return;
    CheckKeys(node, {"max_response_bytes"}, "http");
    if (node["max_response_bytes"]) {
      if (auto n = Integer(node["max_response_bytes"], "http.max_response_bytes", 4096,
                           int64_t{1} << 30)) {
        config_.http.max_response_bytes = static_cast<std::size_t>(*n);
      }
    }
  }

  bool CheckUrl(const YAML::Node& node, const std::string& url, const std::string& what) {
    static const std::regex kUrl(R"(https?://[^\s/?#]+(/[^\s]*)?)");
    if (std::regex_match(url, kUrl)) return true;
    Report(node.Mark(), what + " must be an http:// or https:// URL, not '" + url + "'");
    return false;
  }

  // rate_limit: {rate: 200/minute, burst: 20}
  std::optional<RateLimit> ParseRateLimit(const YAML::Node& node, const std::string& what) {
    if (!ExpectMap(node, what)) return std::nullopt;
    CheckKeys(node, {"rate", "burst"}, what);
    static const std::regex kRate(R"(([0-9]{1,9}(\.[0-9]{1,6})?)/(second|minute|hour))");
    RateLimit limit;
    bool ok = true;
    std::smatch match;
    std::string text = node["rate"].IsScalar() ? node["rate"].Scalar() : std::string();
    if (!node["rate"]) {
      Report(node.Mark(), what + " needs a rate such as 200/minute");
      ok = false;
    } else if (!std::regex_match(text, match, kRate) || std::stod(match[1].str()) <= 0) {
      Report(node["rate"].Mark(), what + ".rate must look like 5/second, 200/minute or 1000/hour");
      ok = false;
    } else {
      double per = match[3] == "second" ? 1 : match[3] == "minute" ? 60 : 3600;
      limit.tokens_per_second = std::stod(match[1].str()) / per;
    }
    if (node["burst"]) {
      if (auto burst = Integer(node["burst"], what + ".burst", 1, 1000000)) {
        limit.burst = static_cast<int>(*burst);
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return limit;
  }

  // Reads rate_limit and concurrency from `node` (its keys already checked).
  Limits ParseLimits(const YAML::Node& node, const std::string& what) {
    Limits limits;
    if (node["rate_limit"]) {
      limits.rate_limit = ParseRateLimit(node["rate_limit"], what + ".rate_limit");
    }
    if (node["concurrency"]) {
      if (auto n = Integer(node["concurrency"], what + ".concurrency", 1, 10000)) {
        limits.concurrency = static_cast<int>(*n);
      }
    }
    return limits;
  }

  // oauth: {client_id, auth_url, token_url, scope} for heraldctl connect.
  void ParseOAuth(const YAML::Node& node, const std::string& platform, const std::string& what) {
    if (!ExpectMap(node, what)) return;
    CheckKeys(node, {"client_id", "auth_url", "token_url", "scope"}, what);
    OAuthAppConfig app;
    if (node["client_id"]) {
      if (auto id = String(node["client_id"], what + ".client_id")) app.client_id = *id;
    }
    if (node["scope"]) {
      if (auto scope = String(node["scope"], what + ".scope")) app.scope = *scope;
    }
    for (auto [key, field] :
         {std::pair{"auth_url", &app.auth_url}, std::pair{"token_url", &app.token_url}}) {
      if (!node[key]) continue;
      auto url = String(node[key], what + "." + key);
      if (url && CheckUrl(node[key], *url, what + "." + key)) *field = *url;
    }
    config_.oauth[platform] = std::move(app);
  }

  void ParsePlatforms(const YAML::Node& node) {
    if (!ExpectMap(node, "platforms")) return;
    static const std::regex kPlatform("[a-z0-9_-]{1,64}");
    for (const auto& item : node) {
      const std::string name = item.first.Scalar();
      if (!std::regex_match(name, kPlatform)) {
        Report(item.first.Mark(),
               "platform name '" + name + "' must be lower-case letters, digits, '-' or '_'");
        continue;
      }
      const std::string what = "platforms." + name;
      if (!ExpectMap(item.second, what)) continue;
      CheckKeys(item.second, {"rate_limit", "concurrency", "oauth"}, what);
      config_.platforms[name] = ParseLimits(item.second, what);
      if (item.second["oauth"]) ParseOAuth(item.second["oauth"], name, what + ".oauth");
    }
  }

  void ParseAccounts(const YAML::Node& node) {
    if (!ExpectMap(node, "accounts")) return;
    static const std::regex kAccount("([a-z0-9_-]{1,64})/([A-Za-z0-9._-]{1,128})");
    for (const auto& item : node) {
      const std::string name = item.first.Scalar();
      std::smatch match;
      if (!std::regex_match(name, match, kAccount)) {
        Report(item.first.Mark(),
               "account '" + name + "' must be named platform/name, e.g. facebook/my-page");
        continue;
      }
      const std::string what = "account " + name;
      AccountConfig account;
      account.name = name;
      account.platform = match[1].str();
      const YAML::Node& body = item.second;
      if (body.IsNull()) {
        config_.accounts.push_back(std::move(account));
        continue;
      }
      if (!ExpectMap(body, what)) continue;
      CheckKeys(body, {"api_base", "credentials", "settings", "rate_limit", "concurrency"}, what);
      if (body["api_base"]) {
        auto url = String(body["api_base"], what + ": api_base");
        if (url && CheckUrl(body["api_base"], *url, what + ": api_base")) account.api_base = *url;
      }
      if (body["credentials"]) {
        if (auto ref = String(body["credentials"], what + ": credentials")) {
          account.credentials = *ref;
          if (config_.credentials_file.empty()) {
            Report(body["credentials"].Mark(),
                   what + " names credentials but no credentials_file is configured");
          }
        }
      }
      if (body["settings"]) {
        if (ExpectMap(body["settings"], what + ": settings")) {
          account.settings_json = YamlToJson(body["settings"]);
        }
      }
      account.limits = ParseLimits(body, what);
      config_.accounts.push_back(std::move(account));
    }
  }

  const fs::path file_;
  const fs::path base_;
  Config config_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace

std::string Diagnostic::ToString() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " + message;
}

ParseOutcome ParseConfig(std::string_view text, const std::filesystem::path& file) {
  return Parser(file).Parse(text);
}

Result<Config> LoadConfig(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Error(ErrorCode::kIo, file.string() + ":0:0: error: cannot read the configuration file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  ParseOutcome outcome = ParseConfig(text.str(), file);
  if (outcome.config) return std::move(*outcome.config);
  std::string message;
  for (const Diagnostic& d : outcome.diagnostics) {
    if (!message.empty()) message += '\n';
    message += d.ToString();
  }
  return Error(ErrorCode::kInvalidArgument, message);
}

std::filesystem::path DefaultConfigPath(bool user_mode, const char* xdg_config_home,
                                        const char* home) {
  if (!user_mode) return "/etc/herald/herald.yaml";
  if (xdg_config_home && *xdg_config_home) {
    return std::filesystem::path(xdg_config_home) / "herald" / "herald.yaml";
  }
  return std::filesystem::path(home ? home : "") / ".config" / "herald" / "herald.yaml";
}

}  // namespace herald::config
