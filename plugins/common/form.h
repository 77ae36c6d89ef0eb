// URL and form encoding for connector requests (application/x-www-form-urlencoded
// bodies and query strings). Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::connectors {

using Params = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);
// Reverses UrlEncode ('+' stays '+'); malformed escapes are kept as they are.
std::string UrlDecode(std::string_view s);
// "a=1&b=2" with every name and value encoded.
std::string FormEncode(const Params& params);

}  // namespace herald::connectors
