// FacebookConnector: publishes to one Facebook Page through the Graph API.
//
// Flows (docs/connectors/facebook.md): text and link posts (/feed), one photo
// (/photos by URL or multipart), several photos (each uploaded unpublished,
// one step each, then /feed with attached_media), one video (the Resumable
// Upload API: a session on /{app-id}/uploads, one chunk per step at the
// server's file_offset, then /{page-id}/videos on the video host with the
// file handle; facebook_video.cc). find() matches recent published posts by
// message (videos: the Page's videos by description) and time; metrics()
// reads likes, comments and shares per post.
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

// {"data":[{id,<text_field>,created_time,permalink_url}],"paging":{...}};
// nullopt when malformed. `text_field` is "message" for posts, "description"
// for the Page's videos.
std::optional<PostListing> ParsePostListing(std::string_view body,
                                            const char* text_field = "message");

// The Resumable Upload API's answers: {"id":"upload:..."} when a session
// starts; {"h":...} and/or {"file_offset":N} after bytes or a status query
// (offset -1 when absent). nullopt when malformed.
std::optional<std::string> ParseUploadSession(std::string_view body);
struct UploadProgress {
  int64_t file_offset = -1;
  std::string handle;
};
std::optional<UploadProgress> ParseUploadProgress(std::string_view body);

// The post id of a /feed answer ({"id"}) or of a published /photos answer
// ({"id","post_id"}: post_id wins); "" when absent or malformed.
std::string ParseCreatedPostId(std::string_view body);

// {likes:{summary:{total_count}}, comments:{summary:{total_count}}, shares:{count}}
// as a JSON object of counters ({"likes":N,"comments":N,"shares":N}); nullopt when malformed.
std::optional<std::string> ParsePostMetrics(std::string_view body);

// The text a post carries on Facebook: the text, plus the link on its own
// line when the post has media (photos and videos take no link field).
std::string CaptionWithLink(std::string_view text, std::optional<std::string_view> link);

// The last component of a path ("clip.mp4").
std::string BaseName(std::string_view path);

// A video's title (options.title, else the medium's title; may be empty) and
// description (options.description, else the text with the link).
struct VideoText {
  std::string title;
  std::string description;
};
VideoText VideoTextOf(const herald::Post& post);

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
  // facebook_video.cc
  herald::Outcome VideoStep(const herald::Post& post, const std::string& token, Checkpoint cp);
  herald::Outcome StartUploadSession(const herald::Media& media, const std::string& token);
  herald::Outcome SendOrAskOffset(const herald::Media& media, const std::string& token,
                                  Checkpoint cp);
  herald::Outcome PublishVideo(const herald::Post& post, const std::string& page_token,
                               const Checkpoint& cp);
  // Continue after a growing pause, not before `not_before_ms` (a 5xx's
  // Retry-After; 0: none), asking for the offset first when `ask`; a retry
  // for the host after several in a row.
  herald::Outcome AfterTransientUpload(Checkpoint cp, const std::string& why, bool ask,
                                       int64_t not_before_ms = 0);
  // The token for the Resumable Upload API: user_access_token when stored
  // (Meta's guide names a User access token), else the Page token.
  std::string UploadToken(const std::string& page_token) const;
  herald::HttpResult UploadPhoto(const herald::Media& media, const std::string& caption,
                                 bool published, const std::string& token);
  // The first post (or video) of page_id/edge created since `due_ms` (minus
  // the clock skew) whose `text_field` equals `expected`.
  herald::FindResult SearchListing(const std::string& edge, const char* fields,
                                   const char* text_field, const std::string& expected,
                                   int64_t due_ms, const std::string& token);
  std::string PostUrl(const std::string& post_id) const;
  // "access_token", or "page_access_token" as configs/credentials.example.yaml names it.
  std::optional<std::string> PageToken() const;

  herald::Host host_;
  GraphApi graph_;        // graph.facebook.com: posts, photos, uploads, listings
  GraphApi video_graph_;  // graph-video.facebook.com: publishing a video
  std::string page_id_;
  std::string version_problem_;  // non-empty when api_version is not a Graph version
  std::string app_id_;           // settings.app_id, else the stored client_id (read per call)
  std::string permalink_base_;
  int64_t chunk_bytes_;
  // Differs from a checkpoint's `i` when another process wrote it: the
  // upload then asks the server for its offset before sending a byte.
  std::string instance_;
};

}  // namespace herald::connectors::facebook
