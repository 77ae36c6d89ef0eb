#include "youtube/thumbnail.h"

#include <algorithm>

#include "youtube/quota_costs.h"

#include "common/form.h"
#include "youtube/google_errors.h"
#include "youtube/video_metadata.h"

namespace herald::connectors::youtube {

namespace {

constexpr int kMaxThumbnailAttempts = 3;

}  // namespace

Checkpoint ThumbnailCheckpoint(const std::string& video_id) {
  Checkpoint next;
  next.Set("ph", "thumb").Set("vid", video_id).SetInt("ta", 0);
  return next;
}

bool IsThumbnailCheckpoint(const Checkpoint& cp) { return cp.Get("ph") == "thumb"; }

herald::Outcome SetThumbnail(const herald::Host& host, OAuthTokens& tokens, const std::string& base,
                             const std::string& cover, Checkpoint cp) {
  const std::string video_id = cp.Get("vid");
  if (video_id.empty()) return herald::Outcome::Failed("thumbnail checkpoint without a video id");
  if (cover.empty()) return herald::Outcome::Published(video_id, WatchUrl(video_id));
  bool png = cover.size() > 4 && cover.compare(cover.size() - 4, 4, ".png") == 0;
  herald::Request req("POST",
                      base + "/upload/youtube/v3/thumbnails/set?videoId=" + UrlEncode(video_id));
  req.AddHeader("Content-Type", png ? "image/png" : "image/jpeg");
  req.Quota(kUnitsBucket, kThumbnailsSetCost);
  req.BodyFileRange(cover);
  auto sent = tokens.Authorized(std::move(req));
  std::string problem;
  bool transient = false;
  int64_t not_before = 0;  // the server's Retry-After, or the token endpoint's
  if (auto* o = std::get_if<herald::Outcome>(&sent)) {
    problem = o->reason();
    transient = o->kind() == herald::OutcomeKind::kRetry;
    not_before = o->at_ms();
  } else {
    const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
    if (!r.ok()) {
      problem = r.error().message;
      transient = r.error().code != HERALD_ERR_HTTP_BODY;
    } else if (auto e = ParseGoogleError(r.response())) {
      problem = e->message + (e->reason.empty() ? "" : " (" + e->reason + ")");
      transient = e->http_status >= 500 || e->http_status == 429;
      not_before = r.response().RetryAfterMs(host.NowMs()).value_or(0);
      transient = transient || not_before > host.NowMs();
    }
  }
  if (problem.empty()) return herald::Outcome::Published(video_id, WatchUrl(video_id));
  int64_t attempts = cp.GetInt("ta", 0) + 1;
  if (transient && attempts < kMaxThumbnailAttempts) {
    cp.SetInt("ta", attempts);
    return herald::Outcome::Continue(std::max(host.NowMs() + 2000 * attempts, not_before),
                                     cp.Encode());
  }
  host.Warn("video " + video_id + " is published without its custom thumbnail: " + problem);
  return herald::Outcome::Published(video_id, WatchUrl(video_id));
}

}  // namespace herald::connectors::youtube
