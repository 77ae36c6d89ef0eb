#include "sandbox/emulator.h"

#include <ctime>

namespace herald::sandbox {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsGraphVersion(const std::string& segment) {
  if (segment.size() < 4 || segment[0] != 'v') return false;
  size_t dot = segment.find('.');
  if (dot == std::string::npos || dot == 1 || dot + 1 == segment.size()) return false;
  for (size_t i = 1; i < segment.size(); ++i) {
    if (i != dot && !std::isdigit(static_cast<unsigned char>(segment[i]))) return false;
  }
  return true;
}

std::string AccessToken(const HttpRequest& request) {
  std::string token = request.Param("access_token");
  if (!token.empty()) return token;
  std::string authorization = request.Header("authorization");
  for (const char* scheme : {"Bearer ", "OAuth ", "bearer "}) {
    std::string prefix(scheme);
    if (authorization.rfind(prefix, 0) == 0) return authorization.substr(prefix.size());
  }
  return "";
}

namespace {

std::string FormatTime(TimePoint time, const char* format) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, format, &utc);
  return buffer;
}

}  // namespace

std::string GraphTime(TimePoint time) { return FormatTime(time, "%Y-%m-%dT%H:%M:%S+0000"); }

std::string GoogleTime(TimePoint time) { return FormatTime(time, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace herald::sandbox
