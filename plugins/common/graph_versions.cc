#include "common/graph_versions.h"

#include <algorithm>
#include <iterator>

namespace herald::connectors {

namespace {

// Newest first. An empty expiry: "TBD" in Meta's table.
constexpr GraphVersion kVersions[] = {
    {"v27.0", "2026-11-04", ""},           {"v26.0", "2026-07-29", ""},
    {"v25.0", "2026-02-18", "2028-07-29"}, {"v24.0", "2025-10-08", "2028-02-18"},
    {"v23.0", "2025-05-29", "2027-10-08"}, {"v22.0", "2025-01-21", "2027-05-20"},
    {"v21.0", "2024-10-02", "2027-01-21"}, {"v20.0", "2024-05-21", "2026-09-24"},
    {"v19.0", "2024-01-23", "2026-05-21"}, {"v18.0", "2023-09-12", "2026-01-26"},
    {"v17.0", "2023-05-23", "2025-09-12"}, {"v16.0", "2023-02-02", "2025-05-14"},
    {"v15.0", "2022-09-15", "2024-11-20"}, {"v14.0", "2022-05-25", "2024-09-17"},
    {"v13.0", "2022-02-08", "2024-05-28"}, {"v12.0", "2021-09-14", "2024-02-08"},
    {"v11.0", "2021-06-08", "2023-09-14"}, {"v10.0", "2021-02-23", "2023-06-08"},
    {"v9.0", "2020-11-10", "2023-02-23"},  {"v8.0", "2020-08-04", "2022-11-01"},
    {"v7.0", "2020-05-05", "2022-08-04"},  {"v6.0", "2020-02-03", "2022-05-05"},
    {"v5.0", "2019-10-29", "2022-02-03"},  {"v4.0", "2019-07-29", "2021-11-02"},
    {"v3.3", "2019-04-30", "2021-08-03"},  {"v3.2", "2018-10-23", "2021-05-04"},
    {"v3.1", "2018-07-26", "2020-10-27"},  {"v3.0", "2018-05-01", "2020-07-28"},
    {"v2.12", "2018-01-30", "2020-05-05"}, {"v2.11", "2017-11-07", "2020-01-28"},
    {"v2.10", "2017-07-18", "2019-11-07"}, {"v2.9", "2017-04-18", "2019-07-22"},
    {"v2.8", "2016-10-05", "2019-04-18"},  {"v2.7", "2016-07-13", "2018-10-05"},
    {"v2.6", "2016-04-12", "2018-07-13"},  {"v2.5", "2015-10-07", "2018-04-12"},
    {"v2.4", "2015-07-08", "2017-10-09"},  {"v2.3", "2015-03-25", "2017-07-10"},
    {"v2.2", "2014-10-30", "2017-03-27"},  {"v2.1", "2014-08-07", "2016-10-31"},
    {"v2.0", "2014-04-30", "2016-08-08"},
};

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const GraphVersion* FindGraphVersion(std::string_view name) {
  auto it = std::find_if(std::begin(kVersions), std::end(kVersions),
                         [&](const GraphVersion& v) { return name == v.name; });
  return it == std::end(kVersions) ? nullptr : &*it;
}

const GraphVersion& NewestGraphVersion() { return kVersions[0]; }

bool IsGraphVersionName(std::string_view name) {
  if (name.size() < 4 || name[0] != 'v') return false;
  size_t dot = name.find('.');
  return dot != std::string_view::npos && Digits(name.substr(1, dot - 1)) &&
         Digits(name.substr(dot + 1));
}

std::string GraphVersionProblem(const std::string& version) {
  if (IsGraphVersionName(version)) return {};
  return "account setting api_version '" + version + "' is not a Graph API version (like " +
         kDefaultGraphVersion + ")";
}

herald::ApiVersion GraphApiVersion(const std::string& version) {
  herald::ApiVersion out;
  out.name = "Graph API";
  out.version = version;
  if (const GraphVersion* known = FindGraphVersion(version)) {
    out.released = known->released;
    out.expires = known->expires;
  }
  return out;
}

}  // namespace herald::connectors
