// Media checks: a post's media for one platform, each file probed on disk
// (media_probe.h) once per calendar and kept in Calendar::media, against the
// platform's limits: how many, which kinds and types, size, duration,
// dimensions, aspect ratio, containers, codecs and frame rate; a cover must
// be an image. A path that uses the date or member variables is checked as
// rendered for each occurrence or member (bounded). Each problem is an error
// at the medium. Any thread, with its own calendar.
#pragma once

#include <string>
#include <vector>

#include "calendar/diagnostic.h"
#include "calendar/model.h"
#include "calendar/platform_limits.h"

namespace herald::calendar {

// limits null: the platform's limits are unknown, and only the files
// themselves (present, readable, covers that are images) are checked.
void CheckPostMedia(Calendar& cal, const Post& post, const std::string& platform,
                    const std::vector<MediaSpec>& media, const Audience* audience,
                    const PlatformLimits* limits, Diagnostics& diags);

}  // namespace herald::calendar
