// InstagramConnector: publishes to one Instagram professional account through
// the Graph API's content publishing flow.
//
// A step does one bounded thing; the checkpoint records every container id as
// soon as it exists, so a restart never creates a second container for a job:
//   start   -> check content_publishing_limit (at the cap: retry when a slot frees)
//   child   -> create one carousel item container (carousels only, one per step)
//   wait    -> poll every container until FINISHED (continue{at} with a growing delay);
//              one not finished within settings.container_deadline_minutes
//              (default 30) of its creation fails the job, saying so
//   parent  -> create the carousel container
//   publish -> media_publish, then read the permalink -> published
// Kinds: one image -> IMAGE, one video -> REELS, 2-10 media -> CAROUSEL, and
// STORIES when the post's options say "kind": "story" (a calendar's
// `instagram: {kind: story}`, a kind describe() names).
//
// Two flavours, per account (settings.login): `facebook` (the default: the
// Instagram API with Facebook Login, graph.facebook.com, a Page token that
// does not expire) and `instagram` (the Instagram API with Instagram Login,
// graph.instagram.com, an Instagram user token of 60 days that the connector
// refreshes through /refresh_access_token when it expires within 10 days).
// The endpoints, containers, limits, find and metrics are the same.
//
// One object per account, called by one thread at a time (plugin.hpp). The
// pure parsing helpers are exposed for the unit tests.
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/checkpoint.h"
#include "common/graph_api.h"

namespace herald::connectors::instagram {

enum class ContainerStatus { kInProgress, kFinished, kError, kExpired, kPublished, kUnreadable };

// {"status_code":"FINISHED","status":"...","id":"..."}: the status, and the
// status text in `detail` (the ERROR reason); kUnreadable when malformed.
ContainerStatus ParseContainerStatus(std::string_view body, std::string* detail);

struct PublishingLimit {
  int64_t usage = 0;
  int64_t total = 0;
  int64_t duration_s = 86400;
};
// {"data":[{"quota_usage":N,"config":{"quota_total":M,"quota_duration":86400}}]}
std::optional<PublishingLimit> ParsePublishingLimit(std::string_view body);

struct ListedMedia {
  std::string id;
  std::string caption;
  int64_t timestamp_ms = 0;
  std::string permalink;
};
struct MediaListing {
  std::vector<ListedMedia> media;
  std::string next_after;  // "" on the last page
};
std::optional<MediaListing> ParseMediaListing(std::string_view body);

// Insights {"data":[{"name":"reach","values":[{"value":N}]},...]} merged with
// like_count/comments_count into one JSON object of counters.
std::optional<std::string> ParseMediaMetrics(std::string_view fields_body,
                                             std::string_view insights_body);

// graph.instagram.com/refresh_access_token's answer
// {"access_token","token_type":"bearer","expires_in":5184000}; nullopt when
// malformed, or when expires_in is not 1 s to ten years.
struct RefreshedToken {
  std::string access_token;
  int64_t expires_in_s = 0;
};
std::optional<RefreshedToken> ParseRefreshedToken(std::string_view body);

// The delay before status poll number `n` (0-based): 1 s doubling to 30 s.
int64_t PollDelayMs(int64_t n);

class InstagramConnector {
 public:
  static constexpr const char* kPlatform = "instagram";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "Instagram images, carousels, reels and stories through the Graph API content publishing";

  InstagramConnector(herald::Host host, const herald::Account& account);

  herald::Limits Describe() const;
  std::vector<herald::Issue> Validate(const herald::Post& post);
  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> checkpoint);
  herald::FindResult Find(const herald::Post& post);
  std::string Metrics(const std::vector<std::string>& remote_ids);

 private:
  herald::Outcome Start(const herald::Post& post, const std::string& token);
  herald::Outcome CreateChild(const herald::Post& post, const std::string& token, Checkpoint cp);
  herald::Outcome CreateMain(const herald::Post& post, const std::string& token, Checkpoint cp);
  herald::Outcome Wait(const herald::Post& post, const std::string& token, Checkpoint cp);
  herald::Outcome Publish(const std::string& token, Checkpoint cp);
  herald::Outcome CreateContainer(Params form, const std::string& token, Checkpoint cp,
                                  const std::string& list_key, std::string_view what);

  // A failed outcome when the container being polled (the main one, or the
  // carousel item at `index`) has been `state` for longer than the deadline
  // since it was created; nullopt while it may still finish. Records a
  // creation time in `cp` when an older checkpoint has none.
  std::optional<herald::Outcome> PastDeadline(Checkpoint& cp, bool main, size_t index,
                                              std::string_view state);

  // The access token, refreshed first when it is an Instagram Login token
  // close to its expiry; nullopt with `problem` set when there is none usable.
  std::optional<std::string> AccessToken(std::string* problem);

  herald::Host host_;
  bool instagram_login_;  // settings.login == "instagram"
  GraphApi graph_;
  std::string ig_user_id_;
  std::string setting_problem_;                  // a bad api_version, login or deadline setting
  int64_t container_deadline_ms_ = 30 * 60'000;  // settings.container_deadline_minutes
};

}  // namespace herald::connectors::instagram
