// The name layers a post's templates see, shared by the loader (checks) and
// Expand (rendering) so both agree on what a name means:
//   occurrence: date ("July 4"), weekday ("Friday"), time ("10:00"), year,
//               iso_date ("2025-07-04"), platform
//   member:     the audience member's variables, including key
//   post:       calendar, campaign, goal, post, link
// Plain functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calendar/model.h"
#include "calendar/text_template.h"

namespace herald::calendar {

// `local` is the wall-clock time the post goes out (Occurrence::wall()).
TemplateData OccurrenceLayer(LocalSeconds local, std::string_view platform);
TemplateData MemberLayer(const Member& member);
TemplateData PostLayer(const Calendar& calendar, const Post& post);

// Whether a name belongs to the occurrence or post layer.
bool IsBuiltinName(std::string_view name);
// All of those names, for suggestions.
std::vector<std::string> BuiltinNames();
// Longest value a built-in occurrence name can take (code points).
std::size_t BuiltinMaxLength(std::string_view name);

}  // namespace herald::calendar
