// bench_sink: the daemon benchmarks' connector. It POSTs "JOB_ID DUE_MS" to the
// account's url through the host's HTTP service (so the daemon's libcurl path,
// keep-alive included, is what is measured) and reports published.
//   settings: {"url": "http://127.0.0.1:PORT/"}
#include <herald/plugin.hpp>

#include <regex>
#include <string>

namespace {

class BenchSink {
 public:
  static constexpr const char* kPlatform = "benchsink";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "benchmark sink: one POST per post";

  BenchSink(herald::Host host, const herald::Account& account) : host_(host) {
    std::smatch m;
    static const std::regex kUrl("\"url\"\\s*:\\s*\"([^\"]*)\"");
    if (std::regex_search(account.config_json, m, kUrl)) url_ = m[1].str();
  }

  std::string Describe() const { return "{}"; }

  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view>) {
    herald::Request request;
    request.method = "POST";
    request.url = url_;
    request.BodyMemory(std::string(post.job_id()) + " " + std::to_string(post.due_ms()));
    auto result = host_.Http(request);
    if (!result.ok()) return herald::Outcome::Unknown("sink: no answer");
    if (result.response().status != 200) return herald::Outcome::Retry(0, "sink: not 200");
    return herald::Outcome::Published(std::string(post.job_id()));
  }

 private:
  herald::Host host_;
  std::string url_;
};

}  // namespace

HERALD_PLUGIN(BenchSink)
