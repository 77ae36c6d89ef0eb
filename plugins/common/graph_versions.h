// The Graph API versions herald knows, from Meta's version table
// (developers.facebook.com/docs/graph-api/changelog/versions, read on
// 2026-12-01), and the version the Facebook and Instagram connectors use when
// an account sets none. A call to an expired version is served by Meta as the
// oldest live version, silently, with that version's behaviour: the connectors
// report the configured version and its dates in describe() so that the host
// can warn before that happens. Pure data and functions; any thread.
#pragma once

#include <herald/plugin.hpp>

#include <string>
#include <string_view>

namespace herald::connectors {

// The newest version whose changelog every endpoint herald calls was checked
// against (docs/connectors/facebook.md, "API versions").
inline constexpr const char* kDefaultGraphVersion = "v26.0";

struct GraphVersion {
  const char* name;      // "v26.0"
  const char* released;  // "2026-07-29"
  const char* expires;   // "2028-07-29"; "" while Meta announces none
};

// The table entry for `name` ("v21.0"), or nullptr when herald does not know it.
const GraphVersion* FindGraphVersion(std::string_view name);
// The newest version in the table.
const GraphVersion& NewestGraphVersion();
// True for "vN.N" (one or more digits on each side of the dot).
bool IsGraphVersionName(std::string_view name);
// "" when `version` looks like a Graph version, else the message a step
// fails with ("account setting api_version 'x' is not ...").
std::string GraphVersionProblem(const std::string& version);
// What describe() reports for an account configured with `version`.
herald::ApiVersion GraphApiVersion(const std::string& version);

}  // namespace herald::connectors
