// The YouTube connector (skeleton): describes the platform's limits; the
// resumable upload, metrics and reconciliation are not implemented yet and say so.
// One object per channel account; called by one thread at a time.
#include <herald/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

class YoutubeConnector {
 public:
  static constexpr const char* kPlatform = "youtube";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "YouTube video uploads through the Data API v3";

  YoutubeConnector(herald::Host /*host*/, const herald::Account& /*account*/) {}

  // Sources:
  //  - https://developers.google.com/youtube/v3/docs/videos (snippet.title: at
  //    most 100 characters; snippet.description: at most 5,000 bytes;
  //    snippet.tags: at most 500 characters in all).
  //  - https://developers.google.com/youtube/v3/docs/videos/insert (one video
  //    per upload; maximum file size 256 GB; accepted media video/*). The MIME
  //    types below are the container formats YouTube lists as supported. The
  //    length cap depends on the channel's verification, so none is declared.
  // A video has no separate link field (links go into the description).
  herald::Limits Describe() const {
    herald::VideoLimits video;
    video.max_bytes = 256ull * 1024 * 1024 * 1024;
    video.mime_types = {"video/mp4",  "video/quicktime", "video/x-msvideo", "video/x-ms-wmv",
                        "video/mpeg", "video/x-flv",     "video/3gpp",      "video/webm"};
    return herald::Limits()
        .TitleMax(100)
        .DescriptionMaxBytes(5000)
        .TagsMaxTotalChars(500)
        .LinkAllowed(false)
        .MediaRequired(true)
        .MediaMaxCount(1)
        .Video(video);
  }

  herald::Outcome Step(const herald::Post& /*post*/,
                       std::optional<std::string_view> /*checkpoint*/) {
    return herald::Outcome::Failed("not implemented");
  }

  std::string Metrics(const std::vector<std::string>& /*remote_ids*/) {
    throw herald::NotImplemented();
  }

  herald::FindResult Find(const herald::Post& /*post*/) { throw herald::NotImplemented(); }
};

}  // namespace

HERALD_PLUGIN(YoutubeConnector)
