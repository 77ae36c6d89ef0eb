// Where a connector may send an account's credentials: only to the API it
// was configured with. A URL a platform's answer names (an upload Location)
// and an id it returns that goes into a path (an upload session, a container)
// are checked here before a token goes with them, so a forged or hijacked
// answer cannot lead the token to another host or to another endpoint.
//
// The parsing is deliberately strict (printable ASCII, no user info, no
// percent-escapes or backslashes in the authority, a numeric port) so that
// what is checked here is what libcurl connects to. Pure functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace herald::connectors {

// scheme, host and port of an absolute http(s) URL: lower-case scheme and
// host, the scheme's port when none is written.
struct Origin {
  std::string scheme;
  std::string host;
  int port = 0;
  bool operator==(const Origin&) const = default;
  // "https://www.googleapis.com" (the port only when it is not the default).
  std::string Text() const;
};

// nullopt when `url` is not an absolute http or https URL herald would send
// to: user info ("a@b"), an empty or non-numeric port, characters outside
// printable ASCII or that parsers read differently ('\\', '%' in the host).
std::optional<Origin> OriginOf(std::string_view url);

// `reference` as an absolute URL when it lies on `base`'s origin: an
// absolute URL with the same scheme, host and port, or a path-absolute
// reference ("/upload/...") resolved against that origin. nullopt otherwise
// (another host, another port, http for https, "//host/...", a relative path).
std::optional<std::string> OnOrigin(std::string_view reference, std::string_view base);

// True when `path` may follow "base/version/" in a Graph API URL: segments
// of [A-Za-z0-9_.:=+-] separated by '/', none empty, "." or "..", and no
// query or fragment. An id a platform returned that goes into a path must
// pass: "104_99" or "1784/media" do; "../me", "1?fields=x" or "x#y" do not.
bool IsGraphPath(std::string_view path);

// True for a Resumable Upload API session id as the session answer gives it
// and as it goes into the path: "upload:" and a Graph path, then optionally
// one '?' and a query of [A-Za-z0-9_.:=+-&%/] ("upload:MTph...?sig=ARZ...").
bool IsUploadSessionId(std::string_view id);

}  // namespace herald::connectors
