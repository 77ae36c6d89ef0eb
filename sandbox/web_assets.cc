#include "sandbox/web_assets.h"

namespace herald::sandbox {

const WebAsset* FindWebAsset(std::string_view path) {
  for (const WebAsset& asset : WebAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

std::string WebAssetContentType(std::string_view path) {
  auto ends = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends(".html")) return "text/html; charset=UTF-8";
  if (ends(".css")) return "text/css; charset=UTF-8";
  if (ends(".js")) return "text/javascript; charset=UTF-8";
  return "application/octet-stream";
}

}  // namespace herald::sandbox
