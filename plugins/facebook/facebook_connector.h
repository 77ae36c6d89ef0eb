// FacebookConnector: publishes to one Facebook Page through the Graph API.
//
// Flows (docs/connectors/facebook.md): text and link posts (/feed), one photo
// (/photos by URL or multipart), several photos (each uploaded unpublished,
// one step each, then /feed with attached_media), one video (chunked
// /videos upload, one chunk per step, resumable from the acknowledged
// offset). find() matches recent published posts by message and time;
// metrics() reads likes, comments and shares per post.
//
// One object per Page account, called by one thread at a time (plugin.hpp).
// The pure parsing helpers below are exposed for the unit tests.
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/checkpoint.h"
#include "common/graph_api.h"

namespace herald::connectors::facebook {

// One post of a Page listing.
struct ListedPost {
  std::string id;
  std::string message;
  int64_t created_ms = 0;
  std::string permalink;
};

struct PostListing {
  std::vector<ListedPost> posts;
  std::string next_after;  // cursor of the next page, "" when this is the last
};

// {"data":[{id,message,created_time,permalink_url}],"paging":{...}}; nullopt when malformed.
std::optional<PostListing> ParsePostListing(std::string_view body);

// The post id of a /feed answer ({"id"}) or of a published /photos answer
// ({"id","post_id"}: post_id wins); "" when absent or malformed.
std::string ParseCreatedPostId(std::string_view body);

// {likes:{summary:{total_count}}, comments:{summary:{total_count}}, shares:{count}}
// as a JSON object of counters ({"likes":N,"comments":N,"shares":N}); nullopt when malformed.
std::optional<std::string> ParsePostMetrics(std::string_view body);

// The text a post carries on Facebook: the text, plus the link on its own
// line when the post has media (photos and videos take no link field).
std::string CaptionWithLink(std::string_view text, std::optional<std::string_view> link);

class FacebookConnector {
 public:
  static constexpr const char* kPlatform = "facebook";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Facebook Page posts through the Graph API";

  FacebookConnector(herald::Host host, const herald::Account& account);

  herald::Limits Describe() const;
  std::vector<herald::Issue> Validate(const herald::Post& post);
  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> checkpoint);
  herald::FindResult Find(const herald::Post& post);
  std::string Metrics(const std::vector<std::string>& remote_ids);

 private:
  herald::Outcome FeedPost(const herald::Post& post, const std::string& token,
                           const std::vector<std::string>& photo_ids);
  herald::Outcome SinglePhoto(const herald::Post& post, const std::string& token);
  herald::Outcome MultiPhotoStep(const herald::Post& post, const std::string& token, Checkpoint cp);
  herald::Outcome VideoStep(const herald::Post& post, const std::string& token, Checkpoint cp);
  herald::HttpResult UploadPhoto(const herald::Media& media, const std::string& caption,
                                 bool published, const std::string& token);
  std::string PostUrl(const std::string& post_id) const;
  // "access_token", or "page_access_token" as configs/credentials.example.yaml names it.
  std::optional<std::string> PageToken() const;

  herald::Host host_;
  GraphApi graph_;
  std::string page_id_;
  std::string permalink_base_;
  int64_t video_chunk_bytes_ = 4 * 1024 * 1024;
};

}  // namespace herald::connectors::facebook
