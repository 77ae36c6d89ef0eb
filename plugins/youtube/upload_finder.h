// FindUpload: whether a YouTube post whose outcome is unknown (its answer was
// lost) was published after all: the channel's uploads playlist is read,
// newest first, for a video with the post's title published since shortly
// before the job was due. Says CannotTell when the channel cannot be read or
// the window holds too many uploads to search. Called by the connector, by
// one thread at a time.
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <string>

#include "youtube/oauth_tokens.h"

namespace herald::connectors::youtube {

// base: the API's base URL, without a trailing slash.
herald::FindResult FindUpload(OAuthTokens& tokens, const std::string& base,
                              const std::string& title, int64_t due_ms);

}  // namespace herald::connectors::youtube
