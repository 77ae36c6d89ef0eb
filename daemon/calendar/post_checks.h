// PostChecker: the checks that need a whole post, once it is read, with
// whatever of it could be read: a text for every platform it targets, post kinds the platform
// names, template variables that every audience member fills, its media (media_checks.h), and the
// platforms' limits on rendered text, titles, descriptions and tags. A limit is first bounded from
// the literal text and the audience's longest values; posts are rendered member by member only when
// the bound could exceed it. Problems go to diags.
//
// One per calendar file; it holds references to the calendar (whose media it
// probes into Calendar::media), the limits, the audiences' bounds and the
// diagnostics, all of which must outlive it. Used by the thread loading the file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "calendar/audience_reader.h"
#include "calendar/diagnostic.h"
#include "calendar/model.h"
#include "calendar/platform_limits.h"
#include "calendar/text_template.h"

namespace herald::calendar {

class PostChecker {
 public:
  // limits: by platform; a platform without an entry is not checked against
  // limits. bounds: by audience, for every audience of `cal`.
  PostChecker(Calendar& cal, const std::map<std::string, PlatformLimits>& limits,
              const std::map<std::string, AudienceBounds>& bounds, Diagnostics& diags)
      : cal_(cal), limits_(limits), bounds_(bounds), diags_(diags) {}
  PostChecker(const PostChecker&) = delete;
  PostChecker& operator=(const PostChecker&) = delete;

  void Check(const Post& post);

 private:
  void CheckTemplates(const Post& post, const Audience* audience);
  // Per platform it targets: text, kind, media and limits.
  void CheckPlatforms(const Post& post, const Audience* audience);
  void CheckRenderedLimits(const Post& post, const std::string& platform, const SourcePos& pos,
                           const TextTemplate& tmpl, const char* what,
                           std::optional<std::int64_t> max_chars,
                           std::optional<std::int64_t> max_hashtags,
                           std::optional<std::int64_t> max_mentions, const Audience* audience);

  Calendar& cal_;
  const std::map<std::string, PlatformLimits>& limits_;
  const std::map<std::string, AudienceBounds>& bounds_;
  Diagnostics& diags_;
};

}  // namespace herald::calendar
