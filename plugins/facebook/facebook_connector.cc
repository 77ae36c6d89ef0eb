// The Facebook Page connector (skeleton): describes the platform's limits;
// publishing, metrics and reconciliation are not implemented yet and say so.
// One object per Page account; called by one thread at a time (see plugin.hpp).
#include <herald/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

class FacebookConnector {
 public:
  static constexpr const char* kPlatform = "facebook";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Facebook Page posts through the Graph API";

  FacebookConnector(herald::Host /*host*/, const herald::Account& /*account*/) {}

  // Sources:
  //  - text: a Page post's message holds up to 63,206 characters
  //    (https://www.mintlify.com/gitroomhq/postiz-app/platforms/facebook,
  //    "Maximum: 63,206 characters").
  //  - media: images JPEG/BMP/PNG/GIF/TIFF up to 10 MB; video MP4/MOV/AVI up to
  //    10 GB and 4 hours (https://ayrshare.com/docs/media-guidelines/facebook_pages;
  //    formats as in https://developers.facebook.com/docs/graph-api/reference/page/photos).
  //  - a post carries either photos or one video, up to 10 photos
  //    (https://docs.postsyncer.com/platforms/facebook.md).
  herald::Limits Describe() const {
    herald::ImageLimits image;
    image.max_bytes = 10ull * 1024 * 1024;
    image.mime_types = {"image/jpeg", "image/bmp", "image/png", "image/gif", "image/tiff"};
    herald::VideoLimits video;
    video.max_bytes = 10ull * 1024 * 1024 * 1024;
    video.max_duration_s = 4 * 60 * 60;
    video.mime_types = {"video/mp4", "video/quicktime", "video/x-msvideo"};
    return herald::Limits()
        .TextMax(63206)
        .LinkAllowed(true)
        .MediaRequired(false)
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

HERALD_PLUGIN(FacebookConnector)
