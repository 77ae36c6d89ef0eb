// VideoUpload: how the YouTube connector publishes a post, through the Data
// API v3 resumable upload protocol. A step does one bounded thing: start the
// upload session (the metadata: title, description, tags, category, privacy,
// made-for-kids), send one chunk (a multiple of 256 KiB, read from a file
// range: constant memory), ask the session where it stands (after a restart,
// a lost answer or a 5xx), or set the custom thumbnail (thumbnail.h). The
// checkpoint holds the phase, the upload URL and the acknowledged offset; it
// never holds a token.
//
// Owned by the connector, with the tokens it is given (which must outlive
// it); called by one thread at a time (plugin.hpp).
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/checkpoint.h"
#include "youtube/oauth_tokens.h"
#include "youtube/video_metadata.h"

namespace herald::connectors::youtube {

// The byte offset a 308 answer acknowledges: "Range: bytes=0-X" -> X+1; no Range -> 0.
std::optional<int64_t> AcknowledgedOffset(const herald::Response& r);

// The video id of a completed upload's answer; "" when absent or malformed.
std::string ParseVideoId(std::string_view body);

// The chunk size for the account's `chunk_bytes` setting ("" for 8 MiB): a
// multiple of 256 KiB, at least one.
int64_t UploadChunkBytes(const std::string& setting);

class VideoUpload {
 public:
  // base: the API's base URL, without a trailing slash.
  VideoUpload(herald::Host host, OAuthTokens& tokens, std::string base, VideoDefaults defaults,
              int64_t chunk_bytes);
  VideoUpload(const VideoUpload&) = delete;
  VideoUpload& operator=(const VideoUpload&) = delete;

  // The next step for `post` (already validated) from `checkpoint` (none: the first).
  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> checkpoint);

  // For find(): what the flow `checkpoint` (a step's, whose outcome was lost)
  // stood at says about `post`. The upload session is asked where it stands
  // (PUT, Content-Range: bytes */N): 200/201 with the video -> found (or not
  // found while a cover is still to be set); 308 -> not found, the next step
  // goes on from the session's offset. A thumbnail phase -> not found (the
  // video exists; the next step sets its thumbnail); no session opened yet
  // -> not found (opening one creates no video). nullopt when there is no
  // session to ask (unreadable checkpoint, the session is gone): the caller
  // searches the uploads playlist.
  std::optional<herald::FindResult> FindFromCheckpoint(const herald::Post& post,
                                                       std::string_view checkpoint);

 private:
  void NewInstance();
  herald::Outcome StartSession(const herald::Post& post);
  herald::Outcome UploadStep(const herald::Post& post, Checkpoint cp);
  herald::Outcome Uploaded(const herald::Post& post, const std::string& video_id);
  // Another try after a growing pause, not before `not_before_ms` (the
  // server's Retry-After; 0: none); a retry for the host after several.
  herald::Outcome AfterTransientUpload(Checkpoint cp, const std::string& why,
                                       int64_t not_before_ms = 0);

  herald::Host host_;
  OAuthTokens& tokens_;
  const std::string base_;
  const VideoDefaults defaults_;
  const int64_t chunk_bytes_;
  // Written into every checkpoint: a checkpoint from another instance (a
  // restart, or one written before a find asked the session) makes the next
  // step ask the session where it stands first.
  std::string instance_;
};

}  // namespace herald::connectors::youtube
