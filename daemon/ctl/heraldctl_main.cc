// heraldctl: the admin's command line for heraldd. Thin on purpose: it parses
// the command line with CLI11 and hands over to api_commands (the control
// socket) or calendar_commands (validate and preview, files only).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "core/api_versions.h"
#include "core/clock.h"
#include "core/load_context.h"
#include "ctl/api_commands.h"
#include "ctl/calendar_commands.h"
#include "ctl/connect_command.h"
#include "ctl/token_expiry.h"
#include "plugin/plugin_dirs.h"
#include "plugin/plugin_loader.h"

namespace fs = std::filesystem;
using herald::ctl::ApiCommand;

namespace {

std::string DefaultSocket() {
  if (const char* env = std::getenv("HERALD_SOCKET"); env && *env) return env;
  if (::geteuid() != 0) {
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg) {
      fs::path user = fs::path(xdg) / "herald.sock";
      std::error_code ec;
      if (fs::exists(user, ec)) return user.string();
    }
  }
  return "/run/herald/control.sock";
}

// heraldd's default configuration: the user's when not root and it exists.
fs::path DefaultConfig() {
  if (::geteuid() != 0) {
    fs::path user = herald::config::DefaultConfigPath(true, std::getenv("XDG_CONFIG_HOME"),
                                                      std::getenv("HOME"));
    std::error_code ec;
    if (fs::exists(user, ec)) return user;
  }
  return herald::config::DefaultConfigPath(false, nullptr, nullptr);
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = "{";
  for (const auto& [k, v] : fields) {
    if (v.empty()) continue;
    if (out.size() > 1) out += ",";
    out += JsonString(k) + ":" + JsonString(v);
  }
  return out + "}";
}

bool WantsHelp(const std::vector<std::string>& args) {
  return std::find(args.begin(), args.end(), "--help") != args.end() ||
         std::find(args.begin(), args.end(), "-h") != args.end();
}

// One line on which platforms' limits validate/preview check, from where.
void SayWhichLimits(const herald::plugin::PluginLoadReport& plugins,
                    const std::vector<fs::path>& dirs, std::ostream& err) {
  std::string where;
  for (const fs::path& d : dirs) where += (where.empty() ? "" : ", ") + d.string();
  if (plugins.plugins.empty()) {
    err << "heraldctl: no connector plugins found" << (where.empty() ? "" : " in " + where)
        << ", so no platform limits are checked\n";
    return;
  }
  std::string names;
  for (const auto& p : plugins.plugins) names += (names.empty() ? "" : ", ") + p->platform();
  err << "heraldctl: checking against the limits of " << names << " (plugins in " << where << ")\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"heraldctl: control a running heraldd through its socket"};
  app.require_subcommand(1);
  app.fallthrough();
  std::string socket = DefaultSocket();
  bool json = false;
  std::string config_path;
  app.add_option("--socket", socket, "Control socket (default: $HERALD_SOCKET, else the system's)");
  app.add_flag("--json", json, "Print the daemon's JSON instead of tables");
  app.add_option("-c,--config", config_path,
                 "validate/preview: herald.yaml, to check accounts and each connector's own "
                 "rules (its plugin_dirs, else the plugins beside heraldctl or installed)");

  ApiCommand cmd;
  std::string scope, name, reason, outcome, remote_id, url, note;
  std::map<std::string, std::string> filters;
  auto simple = [&](const char* n, const char* help) {
    return app.add_subcommand(n, help)->callback([&cmd, n] { cmd.name = n; });
  };
  simple("status", "Version, uptime, jobs by state, next due, pauses, plugins, last load");
  simple("plugins", "Loaded connector plugins and the ones refused");
  simple("accounts",
         "Accounts and their state: ok, paused, auth_expired, no_plugin, connector_failed");
  simple("reload", "Reload the calendars now and print the result (exit 1 on errors)");
  simple("watch", "Follow job transitions and reloads as they happen");
  auto* jobs = simple("jobs", "List jobs, filtered");
  for (const char* f :
       {"state", "campaign", "account", "platform", "member", "from", "to", "limit", "cursor"}) {
    jobs->add_option(std::string("--") + f, filters[f], std::string("Filter or page: ") + f);
  }
  auto* job = simple("job", "One job with its attempts and rendered post");
  job->add_option("ID", cmd.job_id, "Job id")->required();
  for (const char* n : {"retry", "cancel", "publish-now"}) {
    auto* sub = simple(n, n == std::string("retry")    ? "Retry a failed or cancelled job"
                          : n == std::string("cancel") ? "Cancel a pending job"
                                                       : "Publish a job now");
    sub->add_option("ID", cmd.job_id, "Job id")->required();
    if (n == std::string("cancel")) sub->add_option("--reason", reason, "Why (kept with the job)");
  }
  auto* resolve = simple("resolve", "Settle an unknown job: published (with --remote-id) or retry");
  resolve->add_option("ID", cmd.job_id, "Job id")->required();
  resolve->add_option("OUTCOME", outcome, "published, retry, failed or cancelled")
      ->required()
      ->check(CLI::IsMember({"published", "retry", "failed", "cancelled"}));
  resolve->add_option("--remote-id", remote_id, "The post's id on the platform");
  resolve->add_option("--url", url, "The post's URL");
  resolve->add_option("--note", note, "Why");
  for (const char* n : {"pause", "resume"}) {
    auto* sub = simple(n, n == std::string("pause") ? "Pause publishing: everything, a platform, "
                                                      "an account or a campaign"
                                                    : "Resume a paused scope");
    // Required: pausing everything is said in words (`pause all`), never a default.
    sub->add_option("SCOPE", scope, "all, platform, account or campaign")
        ->required()
        ->check(CLI::IsMember({"all", "platform", "account", "campaign"}));
    sub->add_option("NAME", name, "The platform, account or campaign");
    if (n == std::string("pause")) sub->add_option("--reason", reason, "Why");
  }
  herald::ctl::ConnectOptions connect_options;
  auto* connect = app.add_subcommand(
      "connect", "Connect an account through OAuth and write its credentials entry");
  connect
      ->add_option("ACCOUNT", connect_options.account,
                   "facebook/NAME, instagram/NAME or youtube/NAME")
      ->required();
  connect->add_option("--credentials", connect_options.credentials_file,
                      "Credentials file (default: the configuration's credentials_file)");
  connect->add_option("--client-id", connect_options.client_id,
                      "OAuth client (app) id (default: platforms.<platform>.oauth.client_id)");
  connect->add_option("--client-secret-file", connect_options.client_secret_file,
                      "File holding the client secret (default: $HERALD_CLIENT_SECRET, else the "
                      "entry's client_secret)");
  connect->add_option("--auth-url", connect_options.auth_url, "Authorization endpoint");
  connect->add_option("--token-url", connect_options.token_url, "Token endpoint");
  connect->add_option("--scope", connect_options.scope, "Scopes to ask for");
  connect->add_option("--page", connect_options.page,
                      "facebook/instagram: the Page id (or Instagram account id) to connect");
  connect->add_option("--login-hint", connect_options.login_hint,
                      "Account hint for the sign-in page");
  connect
      ->add_option("--login", connect_options.login,
                   "instagram: facebook (Facebook Login, through a Page) or instagram "
                   "(Instagram Login, no Page); default: the account's settings.login")
      ->check(CLI::IsMember({"facebook", "instagram"}));
  connect->add_option("--port", connect_options.port, "Loopback port for the redirect (0: any)")
      ->check(CLI::Range(0, 65535));
  connect->add_flag("--open", connect_options.open_browser, "Open the URL with xdg-open");
  connect
      ->add_option("--timeout", connect_options.timeout_seconds, "Seconds to wait for the redirect")
      ->check(CLI::Range(1, 86400));
  auto* validate = app.add_subcommand("validate", "Check calendar files (no daemon needed)");
  auto* preview = app.add_subcommand("preview", "Show what calendars would publish");
  // Their words go to RunCalendarValidate/Preview as they are: nothing may fall
  // through to heraldctl's own options.
  for (auto* sub : {validate, preview}) {
    sub->allow_extras();
    sub->prefix_command();
    sub->fallthrough(false);
    sub->set_help_flag();  // --help goes through too: their own help lists their arguments
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A word that is no command: name it, rather than "a subcommand is required".
    if (app.get_subcommands().empty()) {
      for (const std::string& word : app.remaining()) {
        if (!word.empty() && word[0] != '-') {
          std::cerr << "heraldctl: unknown command '" << word
                    << "'\nRun with --help for the commands.\n";
          return herald::ctl::kExitUsage;
        }
      }
    }
    // --help is a success; any other parse error is a usage error (exit 2).
    const int printed = app.exit(e);
    return printed == static_cast<int>(CLI::ExitCodes::Success) ? herald::ctl::kExitOk
                                                                : herald::ctl::kExitUsage;
  }

  if (validate->parsed() || preview->parsed()) {
    std::vector<std::string> args = (validate->parsed() ? validate : preview)->remaining();
    if (json && validate->parsed()) args.push_back("--json");
    if (WantsHelp(args)) {
      return validate->parsed() ? herald::ctl::RunCalendarValidate(args, {}, std::cout, std::cerr)
                                : herald::ctl::RunCalendarPreview(args, {}, std::cout, std::cerr);
    }
    // The plugins heraldd would load: the configuration's folders, else the
    // ones built beside heraldctl or installed.
    std::optional<herald::config::Config> config;
    if (!config_path.empty()) {
      auto loaded = herald::config::LoadConfig(config_path);
      if (!loaded.ok()) {
        std::cerr << loaded.error().message() << "\n";
        return herald::ctl::kExitUsage;
      }
      config = std::move(*loaded);
    }
    const std::vector<fs::path> dirs =
        herald::plugin::PluginDirsOr(config ? config->plugin_dirs : std::vector<fs::path>{});
    auto plugins = herald::plugin::LoadPlugins(dirs);
    for (const auto& problem : plugins.problems) {
      std::cerr << "heraldctl: " << problem.ToString() << "\n";
    }
    SayWhichLimits(plugins, dirs, std::cerr);
    if (config && validate->parsed()) {
      // The accounts' API versions, judged as heraldd judges them.
      auto today = herald::core::TodayUtc(herald::core::SystemClock().NowMs());
      for (const auto& r : herald::core::ApiVersions::Read(*config, plugins).Assess(today)) {
        if (r.warns()) std::cerr << config->source.string() << ": warning: " << r.message << "\n";
      }
    }
    const herald::calendar::LoadContext context =
        config ? herald::core::MakeLoadContext(*config, plugins)
               : herald::core::MakeLimitsContext(plugins);
    return validate->parsed()
               ? herald::ctl::RunCalendarValidate(args, context, std::cout, std::cerr)
               : herald::ctl::RunCalendarPreview(args, context, std::cout, std::cerr);
  }

  if (connect->parsed()) {
    connect_options.config_explicit = !config_path.empty();
    connect_options.config_file = config_path.empty() ? DefaultConfig() : fs::path(config_path);
    return herald::ctl::RunConnect(connect_options, std::cin, ::isatty(STDIN_FILENO) != 0,
                                   std::cout, std::cerr);
  }

  if (cmd.name == "pause" || cmd.name == "resume") {
    if ((scope == "all") != name.empty()) {
      std::cerr << "heraldctl " << cmd.name << " " << scope << ": "
                << (scope == "all"
                        ? "`all` takes no name"
                        : "name the " + scope + " (heraldctl " + cmd.name + " " + scope + " NAME)")
                << "\n";
      return herald::ctl::kExitUsage;
    }
    cmd.body = JsonObject({{"scope", scope}, {"name", name}, {"reason", reason}});
  } else if (cmd.name == "cancel") {
    cmd.body = JsonObject({{"reason", reason}});
  } else if (cmd.name == "resolve") {
    cmd.body =
        JsonObject({{"outcome", outcome}, {"remote_id", remote_id}, {"url", url}, {"note", note}});
  }
  cmd.query = filters;
  herald::ctl::OutputOptions output;
  output.json = json;
  output.color = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  herald::ctl::ControlClient client(socket);
  int rc = herald::ctl::RunApiCommand(cmd, client, output, std::cout, std::cerr);
  if (cmd.name == "accounts" && rc == herald::ctl::kExitOk) {
    auto config =
        herald::config::LoadConfig(config_path.empty() ? DefaultConfig() : fs::path(config_path));
    if (config.ok()) {
      herald::ctl::WarnAboutExpiringTokens(*config,
                                           std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count(),
                                           std::cerr);
    }
  }
  return rc;
}
