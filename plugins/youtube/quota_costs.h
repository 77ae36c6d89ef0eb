// What each call herald makes costs against the YouTube Data API's daily
// quota, from Google's quota table (developers.google.com/youtube/data/
// determine_quota_cost, read on 2026-12-01): videos.insert has its own bucket
// of calls (100 a day by default, 1 per call); everything else shares 10,000
// units a day. The quota resets at midnight Pacific Time. Requests carry
// their cost (herald::Request::Quota) so that the host estimates each
// channel's use; describe() declares the buckets. Constants only.
#pragma once

#include <cstdint>

namespace herald::connectors::youtube {

inline constexpr const char* kUnitsBucket = "units";
inline constexpr const char* kInsertBucket = "videos.insert";
inline constexpr const char* kQuotaResetZone = "America/Los_Angeles";
inline constexpr int64_t kDefaultUnitsPerDay = 10000;
inline constexpr int64_t kDefaultInsertsPerDay = 100;

inline constexpr int64_t kVideosInsertCost = 1;  // in kInsertBucket; the chunk PUTs are part of it
inline constexpr int64_t kThumbnailsSetCost = 50;
inline constexpr int64_t kChannelsListCost = 1;
inline constexpr int64_t kPlaylistItemsListCost = 1;  // per page
inline constexpr int64_t kVideosListCost = 1;

}  // namespace herald::connectors::youtube
