// The Instagram connector (skeleton): describes the platform's limits;
// publishing (container -> FINISHED -> media_publish, as resumable steps),
// metrics and reconciliation are not implemented yet and say so.
// One object per Instagram professional account; called by one thread at a time.
#include <herald/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

class InstagramConnector {
 public:
  static constexpr const char* kPlatform = "instagram";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "Instagram feed posts, reels and carousels through the Instagram Graph API";

  InstagramConnector(herald::Host /*host*/, const herald::Account& /*account*/) {}

  // Source: IG User Media reference,
  // https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
  // (caption: 2,200 characters, 30 hashtags, 20 @ tags; carousel: up to 10
  // images and videos; images: JPEG only, 8 MB; reels: MOV or MP4, 300 MB,
  // 3 s to 15 min). Media specs cross-checked with
  // https://www.ayrshare.com/docs/media-guidelines/instagram.md.
  // Captions carry no clickable links, and every post needs a medium.
  herald::Limits Describe() const {
    herald::ImageLimits image;
    image.max_bytes = 8ull * 1024 * 1024;
    image.mime_types = {"image/jpeg"};
    herald::VideoLimits video;
    video.max_bytes = 300ull * 1024 * 1024;
    video.max_duration_s = 15 * 60;
    video.mime_types = {"video/mp4", "video/quicktime"};
    return herald::Limits()
        .TextMax(2200)
        .HashtagsMax(30)
        .MentionsMax(20)
        .LinkAllowed(false)
        .MediaRequired(true)
        .MediaMaxCount(10)
        .Image(image)
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

HERALD_PLUGIN(InstagramConnector)
