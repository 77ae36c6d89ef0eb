// herald_connector_driver: runs one connector plugin outside the daemon, for
// the connectors' end-to-end tests and benchmark. It loads the plugin file,
// creates a connector for one account with the real host services (libcurl
// HTTP with keep-alive, the credentials file), then either steps one post
// until it is final (sleeping until each `continue` time), or runs find or
// metrics. It prints one JSON line per step or call on stdout; logs go to
// stderr. Single-threaded.
//
//   herald_connector_driver --plugin FILE --account PLATFORM/NAME --credentials FILE
//       [--api-base URL] [--config JSON] (--post FILE | --post-json TEXT)
//       [--checkpoint TEXT] [--max-steps N] [--max-wait-ms N]
//       [--find | --metrics ID,ID,... | --repeat N]
//
// --max-steps N stops after N steps (as a kill would) and prints the last
// checkpoint; a second run with --checkpoint resumes from it. --repeat N
// publishes N text posts (distinct job ids and texts) and prints the CPU time
// per post (getrusage, this process: connector + host HTTP).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cpprest/json.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "config/credential_store.h"
#include "core/account_host.h"
#include "core/clock.h"
#include "core/job_files.h"
#include "plugin/connector.h"
#include "plugin/plugin_loader.h"

namespace {

using herald::plugin::PostInput;
using web::json::value;

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "herald_connector_driver: " << message << "\n";
  std::exit(2);
}

std::string Quote(const std::string& s) { return value::string(s).serialize(); }

std::string Str(const value& v, const char* key) {
  if (!v.has_field(key)) return {};
  const value& f = v.at(key);
  if (f.is_string()) return f.as_string();
  if (f.is_number()) return std::to_string(f.as_number().to_int64());
  return {};
}

// The driver's posts name media by path; the daemon's jobs carry the file as
// their calendar's check saw it. This is that check, for the driver.
herald::FileRef RefOf(const std::string& path) {
  std::filesystem::path p(path);
  herald::FileRef ref;
  ref.root = p.parent_path().string();
  ref.relative = p.filename().string();
  if (auto f = herald::OpenBeneath(ref.root, ref.relative); f.ok()) ref.identity = f->identity;
  return ref;
}

PostInput ReadPost(const std::string& text, const std::string& account) {
  std::error_code error;
  value j = value::parse(text, error);
  if (error || !j.is_object()) Die("the post is not a JSON object");
  PostInput p;
  p.job_id = Str(j, "id");
  if (p.job_id.empty()) p.job_id = "driver-job";
  p.account = account;
  p.due_ms = j.has_field("due_ms") ? j.at("due_ms").as_number().to_int64()
                                   : herald::core::SystemClock().NowMs();
  p.text = Str(j, "text");
  if (std::string link = Str(j, "link"); !link.empty()) p.link = link;
  if (j.has_field("media")) {
    for (const value& m : j.at("media").as_array()) {
      herald::plugin::MediaInput in;
      in.kind = Str(m, "kind") == "video" ? HERALD_MEDIA_VIDEO : HERALD_MEDIA_IMAGE;
      in.path = Str(m, "path");
      in.mime_type = Str(m, "mime_type");
      in.alt_text = Str(m, "alt");
      in.public_url = Str(m, "public_url");
      in.file = RefOf(in.path);
      in.cover = Str(m, "cover");
      if (!in.cover.empty()) in.cover_file = RefOf(in.cover);
      std::error_code size_error;
      in.size_bytes = m.has_field("size_bytes")
                          ? static_cast<uint64_t>(m.at("size_bytes").as_number().to_int64())
                          : std::filesystem::file_size(in.path, size_error);
      p.media.push_back(std::move(in));
    }
  }
  j["due_ms"] = value::number(p.due_ms);
  p.post_json = j.serialize();
  return p;
}

const char* KindName(herald_outcome_kind k) {
  switch (k) {
    case HERALD_OUTCOME_PUBLISHED:
      return "published";
    case HERALD_OUTCOME_CONTINUE:
      return "continue";
    case HERALD_OUTCOME_RETRY:
      return "retry";
    case HERALD_OUTCOME_AUTH_EXPIRED:
      return "auth_expired";
    case HERALD_OUTCOME_FAILED:
      return "failed";
    case HERALD_OUTCOME_UNKNOWN:
      return "unknown";
    case HERALD_OUTCOME_QUOTA_EXHAUSTED:
      return "quota_exhausted";
  }
  return "invalid";
}

std::string OutcomeLine(int step, const herald::plugin::StepOutcome& o) {
  std::ostringstream out;
  out << "{\"step\":" << step << ",\"outcome\":\"" << KindName(o.kind) << "\"";
  if (!o.remote_id.empty()) out << ",\"remote_id\":" << Quote(o.remote_id);
  if (!o.url.empty()) out << ",\"url\":" << Quote(o.url);
  if (o.at_ms) out << ",\"at_ms\":" << o.at_ms;
  if (!o.checkpoint.empty()) out << ",\"checkpoint\":" << Quote(o.checkpoint);
  if (!o.reason.empty()) out << ",\"reason\":" << Quote(o.reason);
  if (o.http_status) out << ",\"http_status\":" << o.http_status;
  if (!o.platform_code.empty()) out << ",\"platform_code\":" << Quote(o.platform_code);
  out << "}";
  return out.str();
}

int64_t CpuMicros() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1'000'000LL + u.ru_utime.tv_usec +
         u.ru_stime.tv_usec;
}

}  // namespace

int main(int argc, char** argv) {
  std::string plugin_file, account, credentials, api_base, config = "{}", post_text, checkpoint,
                                                           metrics;
  bool has_checkpoint = false, find = false;
  int max_steps = 1000, repeat = 0;
  int64_t max_wait_ms = 60'000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--plugin")
      plugin_file = next();
    else if (a == "--account")
      account = next();
    else if (a == "--credentials")
      credentials = next();
    else if (a == "--api-base")
      api_base = next();
    else if (a == "--config")
      config = next();
    else if (a == "--post") {
      std::ifstream in(next());
      std::stringstream ss;
      ss << in.rdbuf();
      post_text = ss.str();
    } else if (a == "--post-json")
      post_text = next();
    else if (a == "--checkpoint") {
      checkpoint = next();
      has_checkpoint = true;
    } else if (a == "--max-steps")
      max_steps = std::stoi(next());
    else if (a == "--max-wait-ms")
      max_wait_ms = std::stoll(next());
    else if (a == "--find")
      find = true;
    else if (a == "--metrics")
      metrics = next();
    else if (a == "--repeat")
      repeat = std::stoi(next());
    else
      Die("unknown argument " + a);
  }
  if (plugin_file.empty() || account.empty()) Die("--plugin and --account are required");
  spdlog::set_default_logger(spdlog::stderr_color_mt("driver"));
  spdlog::set_level(spdlog::level::warn);

  auto plugin = herald::plugin::LoadPluginFile(plugin_file);
  if (!plugin.ok()) Die("cannot load " + plugin_file + ": " + plugin.error().message());
  std::unique_ptr<herald::config::CredentialStore> store;
  if (!credentials.empty()) {
    auto opened = herald::config::CredentialStore::Open(credentials, geteuid());
    if (!opened.ok()) Die(opened.error().message());
    store = std::move(*opened);
  }
  herald::core::SystemClock clock;
  herald::http::HttpClientOptions http;
  http.allow_plain_http = api_base.rfind("http://", 0) == 0;
  herald::core::AccountHost host(account, account, store.get(), &clock, http);
  size_t slash = account.find('/');
  herald::plugin::AccountSpec spec{account.substr(0, slash),
                                   slash == std::string::npos ? "" : account.substr(slash + 1),
                                   api_base, config};
  auto created = herald::plugin::Connector::Create(*plugin, spec, &host);
  if (!created.ok()) Die("create: " + created.error().message());
  herald::plugin::Connector& connector = **created;

  if (!metrics.empty()) {
    std::vector<std::string> ids;
    std::stringstream ss(metrics);
    for (std::string id; std::getline(ss, id, ',');) ids.push_back(id);
    auto m = connector.Metrics(ids);
    if (!m.ok()) {
      std::cout << "{\"metrics_error\":" << Quote(m.error().message()) << "}" << std::endl;
      return 1;
    }
    std::cout << "{\"metrics\":" << *m << "}" << std::endl;
    return 0;
  }
  if (post_text.empty()) Die("--post or --post-json is required");
  PostInput post = ReadPost(post_text, account);
  auto files = herald::core::JobFiles::Open(post);
  if (!files.ok()) Die(files.error().message());
  host.SetBodyFiles(&*files);

  if (find) {
    auto f = connector.Find(post);
    if (!f.ok()) {
      std::cout << "{\"find_error\":" << Quote(f.error().message()) << "}" << std::endl;
      return 1;
    }
    const char* kind = f->kind == HERALD_FIND_FOUND       ? "found"
                       : f->kind == HERALD_FIND_NOT_FOUND ? "not_found"
                                                          : "cannot_tell";
    std::cout << "{\"find\":\"" << kind << "\",\"remote_id\":" << Quote(f->remote_id)
              << ",\"url\":" << Quote(f->url) << ",\"reason\":" << Quote(f->reason) << "}"
              << std::endl;
    return 0;
  }

  if (repeat > 0) {
    int published = 0;
    int64_t started = CpuMicros();
    auto wall = std::chrono::steady_clock::now();
    for (int n = 0; n < repeat; ++n) {
      PostInput p = post;
      p.job_id += "-" + std::to_string(n);
      p.text += " #" + std::to_string(n);
      auto o = connector.Step(p, std::nullopt);
      if (o.kind == HERALD_OUTCOME_PUBLISHED)
        ++published;
      else
        std::cerr << OutcomeLine(n, o) << "\n";
    }
    int64_t cpu = CpuMicros() - started;
    auto wall_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - wall)
                       .count();
    std::cout << "{\"posts\":" << repeat << ",\"published\":" << published
              << ",\"cpu_us_per_post\":" << static_cast<double>(cpu) / repeat
              << ",\"wall_us_per_post\":" << static_cast<double>(wall_us) / repeat << "}"
              << std::endl;
    return published == repeat ? 0 : 1;
  }

  std::optional<std::string> cp;
  if (has_checkpoint) cp = checkpoint;
  for (int step = 1; step <= max_steps; ++step) {
    herald::plugin::StepOutcome o = connector.Step(post, cp);
    std::cout << OutcomeLine(step, o) << std::endl;
    if (o.kind != HERALD_OUTCOME_CONTINUE) return 0;
    cp = o.checkpoint;
    int64_t wait = o.at_ms - clock.NowMs();
    if (wait > max_wait_ms) {
      std::cout << "{\"stopped\":\"continue time beyond --max-wait-ms\"}" << std::endl;
      return 0;
    }
    if (step < max_steps && wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  }
  std::cout << "{\"stopped\":\"max steps\",\"checkpoint\":" << Quote(cp.value_or("")) << "}"
            << std::endl;
  return 0;
}
