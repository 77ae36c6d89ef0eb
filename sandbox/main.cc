// herald-sandbox: a local emulator of the Graph API (Facebook Pages,
// Instagram) and YouTube Data API v3, with fault injection, a request log and
// a web page. See docs/sandbox.md.
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/common/leak_check.h"
#include "sandbox/config.h"
#include "sandbox/faults.h"
#include "sandbox/media_fetcher.h"
#include "sandbox/sandbox.h"
#include "sandbox/server.h"

int main(int argc, char** argv) {
  using namespace herald;
  using namespace herald::sandbox;
  CLI::App app{"herald-sandbox: a local emulator of the platform APIs herald publishes to"};
  std::string config_path;
  std::string listen = "127.0.0.1:0";
  std::string log_path;
  std::vector<std::string> fault_specs;
  uint64_t seed = 0;
  app.add_option("--config", config_path, "YAML file with accounts, delays, limits")->required();
  app.add_option("--listen", listen, "loopback HOST:PORT to listen on; port 0 picks a free one");
  CLI::Option* seed_option =
      app.add_option("--seed", seed, "seed for engagement growth (overrides the file)");
  app.add_option("--log", log_path, "append the request log to this file as JSON lines");
  app.add_option("--fault", fault_specs, "inject a fault, e.g. kind=drop,path=/v*/*/feed,count=1");
  CLI11_PARSE(app, argc, argv);

  Result<SandboxConfig> config = LoadConfig(config_path);
  if (!config) {
    std::cerr << "herald-sandbox: " << config.error().message() << "\n";
    return 2;
  }
  if (seed_option->count() > 0) config->seed = seed;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "herald-sandbox: --listen must be HOST:PORT\n";
    return 2;
  }
  std::string host = listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    std::cerr << "herald-sandbox: bad port in --listen " << listen << "\n";
    return 2;
  }

  // Signals are taken by sigwait in this thread; every thread started later
  // inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  SystemClock clock;
  CurlMediaFetcher fetcher;
  Sandbox sandbox(std::move(config).value(), clock, fetcher);
  for (const std::string& spec : fault_specs) {
    Result<FaultRule> rule = ParseFaultSpec(spec);
    if (!rule) {
      std::cerr << "herald-sandbox: " << rule.error().message() << "\n";
      return 2;
    }
    sandbox.faults().Add(*rule);
  }
  if (!log_path.empty()) {
    if (Status opened = sandbox.log().OpenFile(log_path); !opened) {
      std::cerr << "herald-sandbox: " << opened.error().message() << "\n";
      return 2;
    }
  }
  Server server(sandbox);
  Result<std::string> url = server.Start(host, port);
  if (!url) {
    std::cerr << "herald-sandbox: " << url.error().message() << "\n";
    return 1;
  }
  std::printf("herald-sandbox listening on %s\n", url->c_str());
  std::fflush(stdout);

  int received = 0;
  sigwait(&signals, &received);
  herald::CheckLeaksBeforeTeardown();
  server.Stop();
  return 0;
}
