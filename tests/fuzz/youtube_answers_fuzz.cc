// Fuzz target: the YouTube connector's reading of Google's answers: the
// error shapes and their classification (quota, rate limits, Retry-After),
// the resumable upload's Range and video id, the token endpoint's refresh
// answer, the statistics, and the JSON and times the upload finder reads,
// on one answer (platform_answer.h). None may crash or overflow.
#include <cstddef>
#include <cstdint>

#include "common/json_util.h"
#include "platform_answer.h"
#include "youtube/google_errors.h"
#include "youtube/oauth_tokens.h"
#include "youtube/resumable_upload.h"
#include "youtube/video_statistics.h"

using namespace herald::connectors;
using namespace herald::connectors::youtube;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const herald::Response r =
      herald::fuzz::PlatformAnswer({reinterpret_cast<const char*>(data), size});
  constexpr std::int64_t kNow = 1'800'000'000'000;
  if (auto e = ParseGoogleError(r)) (void)ClassifyGoogleError(*e, r, kNow, "fuzzing");
  (void)AcknowledgedOffset(r);
  (void)ParseVideoId(r.body);
  if (auto t = ParseTokenAnswer(r.body)) {
    // The connector stores now + the lifetime as the token's expiry.
    volatile std::int64_t expires_at_ms = kNow + t->expires_in_s * 1000;
    (void)expires_at_ms;
  }
  (void)ParseVideoStatistics(r.body);
  (void)UploadChunkBytes(r.body);
  // What FindUpload reads of a playlist page.
  if (auto v = ParseJson(r.body)) {
    if (const auto* items = JsonField(*v, "items"); items != nullptr && items->is_array()) {
      for (const auto& item : items->as_array()) {
        if (const auto* snippet = JsonField(item, "snippet")) {
          (void)ParseIsoTimeMs(JsonString(*snippet, "publishedAt"));
          (void)JsonString(*snippet, "title");
        }
      }
    }
    (void)JsonInt(*v, "pageInfo");
    (void)JsonString(*v, "nextPageToken");
  }
  return 0;
}
