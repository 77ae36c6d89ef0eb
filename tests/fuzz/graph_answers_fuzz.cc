// Fuzz target: the Facebook and Instagram connectors' reading of Graph API
// answers: the error shape and its classification (with Retry-After and
// X-Business-Use-Case-Usage), and every answer parser of both connectors, on
// one answer (platform_answer.h). None may crash or overflow, whatever the
// platform, or something pretending to be it, sends.
#include <cstddef>
#include <cstdint>

#include "common/checkpoint.h"
#include "common/graph_api.h"
#include "common/json_util.h"
#include "facebook/facebook_connector.h"
#include "instagram/instagram_connector.h"
#include "platform_answer.h"

using namespace herald::connectors;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const herald::Response r =
      herald::fuzz::PlatformAnswer({reinterpret_cast<const char*>(data), size});
  constexpr std::int64_t kNow = 1'800'000'000'000;
  if (auto e = ParseGraphError(r)) {
    (void)e->CodeText();
    (void)ClassifyGraphError(*e, r, kNow, "fuzzing");
  }
  (void)GraphRateLimitResumeMs(r, kNow);
  (void)GraphErrorOutcome(r, kNow, "fuzzing");

  (void)facebook::ParsePostListing(r.body);
  (void)facebook::ParsePostListing(r.body, "description");
  (void)facebook::ParseUploadSession(r.body);
  (void)facebook::ParseUploadProgress(r.body);
  (void)facebook::ParseCreatedPostId(r.body);
  (void)facebook::ParsePostMetrics(r.body);

  std::string detail;
  (void)instagram::ParseContainerStatus(r.body, &detail);
  (void)instagram::ParsePublishingLimit(r.body);
  (void)instagram::ParseMediaListing(r.body);
  (void)instagram::ParseMediaMetrics(r.body, r.body);
  if (auto t = instagram::ParseRefreshedToken(r.body)) {
    // The connector stores now + the lifetime as the token's expiry.
    volatile std::int64_t expires_at_ms = kNow + t->expires_in_s * 1000;
    (void)expires_at_ms;
  }

  (void)ParseIsoTimeMs(r.body);
  // A checkpoint comes back from the journal, not the platform, but is read
  // by the same connectors from text.
  (void)Checkpoint::Decode(r.body);
  return 0;
}
