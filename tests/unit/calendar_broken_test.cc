// Every broken calendar under tests/calendars/ produces exactly the
// diagnostics in its .expected file (file names relative to that folder).
// HERALD_UPDATE_GOLD=1 writes the .expected files from what Load says, to be
// read over in the diff before committing.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "calendar/loader.h"

namespace herald::calendar {
namespace {

namespace fs = std::filesystem;

const std::string kDir = std::string(HERALD_SOURCE_DIR) + "/tests/calendars/";

LoadContext BrokenContext() {
  LoadContext ctx;
  ctx.accounts = {"facebook/shop", "instagram/shop", "youtube/shop"};
  auto limits = [](const char* json) {
    Result<PlatformLimits> l = ParsePlatformLimits(json);
    REQUIRE(l.ok());
    return *l;
  };
  ctx.limits["facebook"] = limits(R"({"text_max": 63206, "link_allowed": true,
      "media": {"image": {"max_bytes": 4000000, "mime_types": ["image/jpeg", "image/png"]}}})");
  ctx.limits["instagram"] = limits(R"({"text_max": 60, "hashtags_max": 3, "mentions_max": 20,
      "link_allowed": false, "media_required": true, "media_max_count": 10,
      "media": {"image": {"max_bytes": 8000000, "mime_types": ["image/jpeg", "image/png"]}},
      "kinds": {"story": {"text": false, "media_required": true, "media_max_count": 1}}})");
  ctx.limits["youtube"] = limits(R"({"title_max": 20, "description_max": 5000,
      "tags_max_total_chars": 30, "media_required": true,
      "media": {"video": {"max_bytes": 1000000000, "max_duration_s": 43200}}})");
  return ctx;
}

std::string Actual(const std::string& name) {
  const LoadResult r = Load({kDir + name + ".yaml"}, BrokenContext());
  std::string out;
  for (const Diagnostic& d : r.diagnostics) {
    std::string line = d.ToString();
    if (line.rfind(kDir, 0) == 0) line.erase(0, kDir.size());
    out += line + "\n";
  }
  return out;
}

std::string Expected(const std::string& name) {
  std::ifstream in(kDir + name + ".expected");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("every broken calendar gives exactly its expected messages", "[calendar][broken]") {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 15);
  const char* update = std::getenv("HERALD_UPDATE_GOLD");
  for (const std::string& name : names) {
    INFO("calendar " << name << ".yaml");
    if (update != nullptr && std::string(update) == "1") {
      std::ofstream(kDir + name + ".expected", std::ios::binary) << Actual(name);
    }
    CHECK(Actual(name) == Expected(name));
  }
}

TEST_CASE("broken calendars are rejected, the clean one is not", "[calendar][broken]") {
  CHECK_FALSE(Load({kDir + "unknown-key.yaml"}, BrokenContext()).ok());
  const LoadResult dst = Load({kDir + "dst.yaml"}, BrokenContext());
  CHECK(dst.ok());
  CHECK(dst.diagnostics.size() == 3);
}

}  // namespace herald::calendar
