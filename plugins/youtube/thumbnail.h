// The custom thumbnail: the last step of a YouTube upload whose post has a
// cover image, once the video exists. The video is already live, so a
// thumbnail that cannot be set is logged, retried a few times when transient,
// and never turns the post into a failure. Called by the upload's step
// (resumable_upload.h), by one thread at a time.
#pragma once

#include <herald/plugin.hpp>

#include <string>

#include "common/checkpoint.h"
#include "youtube/oauth_tokens.h"

namespace herald::connectors::youtube {

// The checkpoint that starts the thumbnail phase for video_id.
Checkpoint ThumbnailCheckpoint(const std::string& video_id);
bool IsThumbnailCheckpoint(const Checkpoint& cp);

// One attempt to set `cover` (a JPEG or PNG file; "" for none) as the
// thumbnail of the video in `cp` (a thumbnail checkpoint); `base` is the API's
// base URL. Published, or Continue for another attempt.
herald::Outcome SetThumbnail(const herald::Host& host, OAuthTokens& tokens, const std::string& base,
                             const std::string& cover, Checkpoint cp);

}  // namespace herald::connectors::youtube
