// Video statistics for the YouTube connector's metrics(): videos.list
// ?part=statistics read 50 ids at a time into herald's metrics object. A
// failed or unreadable answer throws herald::PluginError, which the plugin
// wrapper turns into the call's error. Called by the connector, by one thread
// at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "youtube/oauth_tokens.h"

namespace herald::connectors::youtube {

// videos.list?part=statistics -> {"id":{"views":N,"likes":N,"comments":N},...} members
// (without the braces), counts arriving as strings; nullopt when malformed.
std::optional<std::string> ParseVideoStatistics(std::string_view body);

// {"id":{"views":N,"likes":N,"comments":N},...} for remote_ids; base: the
// API's base URL, without a trailing slash.
std::string ReadVideoStatistics(OAuthTokens& tokens, const std::string& base,
                                const std::vector<std::string>& remote_ids);

}  // namespace herald::connectors::youtube
