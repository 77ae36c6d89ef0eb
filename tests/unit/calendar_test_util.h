// Helpers for the calendar tests: a scratch folder that removes itself, and
// a LoadContext with the accounts the test calendars use.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "calendar/job.h"
#include "calendar/loader.h"
#include "calendar/time_zone.h"

namespace herald::calendar::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("herald-calendar-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string Write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline LoadContext ShopContext() {
  LoadContext ctx;
  ctx.accounts = {"facebook/shop", "instagram/shop", "youtube/shop"};
  return ctx;
}

// UTC instant from "2027-03-14 08:30".
inline TimePoint Utc(const std::string& text) {
  Result<ParsedLocalTime> t = ParseLocalTime(text, true);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      SysSeconds{t->time.time_since_epoch()});
}

constexpr const char kTinyPng[] =
    "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";

}  // namespace herald::calendar::testing
