// The sandbox's in-memory world: what each emulated account has published,
// unpublished photos, Instagram containers, YouTube upload sessions, issued
// OAuth tokens and codes, and usage counters. A Store is a plain value with no
// lock of its own: Sandbox owns the one Store and guards it with its mutex;
// the emulators receive it already locked.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/clock.h"
#include "sandbox/config.h"

namespace herald::sandbox {

// Something that shows on an account's feed: a Facebook post, an Instagram
// media object or a YouTube video.
struct Post {
  std::string id;
  std::string account_id;
  Platform platform = Platform::kFacebook;
  std::string kind;   // facebook: status|link|photo|album|video; instagram:
                      // IMAGE|VIDEO|REELS|CAROUSEL_ALBUM|STORIES; youtube: video
  std::string text;   // message, caption or description
  std::string title;  // YouTube title, Facebook video title
  std::string link;
  std::vector<std::string> media_urls;  // photos, children's media, thumbnail
  std::string permalink;
  std::string api_version;  // the Graph API version the client used, "v3" for YouTube
  std::string privacy;      // YouTube privacyStatus
  int64_t bytes = 0;        // uploaded video size
  TimePoint created;
};

struct Photo {  // a Facebook photo, published or not (attached_media)
  std::string id;
  std::string page_id;
  std::string url;
  bool published = true;
  std::string post_id;  // set once published on its own or attached to a post
};

enum class ContainerState { kInProgress, kFinished, kError, kExpired, kPublished };
const char* ContainerStateName(ContainerState state);

struct Container {  // an Instagram media container
  std::string id;
  std::string account_id;
  std::string media_type;  // IMAGE, REELS, VIDEO, CAROUSEL, STORIES
  std::string media_url;   // image_url or video_url
  std::string caption;
  std::vector<std::string> children;
  bool is_carousel_item = false;
  TimePoint created;
  TimePoint ready_at;
  bool stuck = false;        // fault: never leaves IN_PROGRESS
  std::string error_status;  // set: the container is in ERROR with this status text
  std::string media_id;      // set once published
};

struct UploadSession {  // a YouTube resumable upload or a Facebook chunked video upload
  std::string id;
  std::string account_id;
  int64_t total_bytes = -1;  // -1: not announced yet
  int64_t received_bytes = 0;
  std::string title;
  std::string description;
  std::string privacy = "public";
  std::vector<std::string> tags;
  std::string video_id;  // set once complete
};

// A Graph API Resumable Upload API session (/{app-id}/uploads, upload:...).
struct ResumableUpload {
  std::string id;   // "upload:<opaque>", the path segment
  std::string sig;  // the "?sig=" part of the id the platform hands out
  std::string app_id;
  std::string account_id;  // whose token opened it
  std::string file_name;
  std::string file_type;
  int64_t total_bytes = 0;
  int64_t received_bytes = 0;
  std::string handle;  // set once every byte is there
};

struct IssuedToken {  // an access token minted by an OAuth endpoint
  std::string account_id;
  TimePoint expires_at;
  std::string linked_account_id;  // also valid here: a Page token for its Instagram account
  bool instagram_login = false;   // minted by Instagram Login (graph.instagram.com)
  bool long_lived = false;        // Instagram Login: exchanged or refreshed
  TimePoint issued_at{};
};

struct AuthorizationCode {
  std::string account_id;
  std::string redirect_uri;
  bool used = false;
  std::string code_challenge;  // PKCE (Google), S256 or plain; empty: none sent
  std::string code_challenge_method;
};

enum class TokenCheck { kValid, kExpired, kUnknown, kOtherAccount };

class Store {
 public:
  explicit Store(const SandboxConfig& config);

  // Whether `token` grants access to `account_id` at `now`.
  TokenCheck CheckToken(const std::string& token, const std::string& account_id,
                        TimePoint now) const;
  // The account a token belongs to (config or issued), or "" when unknown.
  std::string AccountOfToken(const std::string& token) const;
  // True for an Instagram Login token (configured with `login: instagram`, or
  // minted by the Instagram Login endpoints).
  bool IsInstagramLoginToken(const std::string& token) const;

  // A fresh numeric id with `digits` digits, unique within the store.
  std::string NextNumericId(int digits);
  // A fresh YouTube-style 11-character id.
  std::string NextVideoId();
  // A fresh opaque token-like string with a prefix, e.g. "ya29.sandbox-".
  std::string NextOpaque(const std::string& prefix);

  void AddPost(Post post);
  const Post* FindPost(const std::string& id) const;
  Post* FindPost(const std::string& id);
  // The account's posts, newest first.
  std::vector<const Post*> PostsOf(const std::string& account_id) const;

  std::map<std::string, Photo> photos;
  std::map<std::string, Container> containers;
  std::map<std::string, UploadSession> uploads;
  std::map<std::string, ResumableUpload> resumable_uploads;  // by id ("upload:...")
  std::map<std::string, std::string> upload_handles;         // handle -> resumable upload id
  std::map<std::string, IssuedToken> issued_tokens;
  std::map<std::string, std::string> issued_refresh_tokens;  // refresh token -> account id
  std::map<std::string, AuthorizationCode> codes;
  std::map<std::string, std::string> thumbnails;              // video id -> stored image size note
  std::map<std::string, std::vector<TimePoint>> graph_calls;  // account -> call times, last hour
  std::map<std::string, int64_t> youtube_quota_used;          // "account/day" -> units

 private:
  const SandboxConfig& config_;
  std::map<std::string, Post> posts_;
  std::map<std::string, std::vector<std::string>> order_;  // account -> post ids, oldest first
  uint64_t counter_ = 0;
};

}  // namespace herald::sandbox
