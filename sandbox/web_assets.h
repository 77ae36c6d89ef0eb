// The web page's files (HTML, CSS, JS), compiled into the binary from
// sandbox/web/ at build time. Immutable; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace herald::sandbox {

struct WebAsset {
  std::string_view path;  // "/index.html"
  std::string_view content;
};

// Defined in the generated web_assets_data.cc.
const std::vector<WebAsset>& WebAssets();
// The asset served at `path`, or nullptr.
const WebAsset* FindWebAsset(std::string_view path);
std::string WebAssetContentType(std::string_view path);

}  // namespace herald::sandbox
