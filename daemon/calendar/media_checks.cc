#include "calendar/media_checks.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <locale>
#include <optional>
#include <sstream>

#include "calendar/media_probe.h"
#include "calendar/template_layers.h"
#include "calendar/text_template.h"

namespace herald::calendar {

namespace {

// "1.91", "0.8", "60": a limit as the platforms write it.
std::string Decimal(double v) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out.precision(3);
  out << v;
  return out.str();
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

bool Listed(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The media spec checks that need a probed file (dimensions, containers,
// codecs, durations, frame rate), each a sentence naming the file and the
// platform's rule; `who` ends each one (" (member `x`)" or "").
void CheckMediaSpecs(const MediaKindLimits& k, const MediaInfo& info, const std::string& rel,
                     const std::string& platform, const std::string& who,
                     const std::function<void(const std::string&)>& error) {
  if (info.width && info.height) {
    const std::string size = "`" + rel + "` is " + std::to_string(*info.width) + "x" +
                             std::to_string(*info.height) + " pixels; ";
    if (k.min_width && *info.width < *k.min_width) {
      error(size + platform + " needs at least " + std::to_string(*k.min_width) + " pixels wide" +
            who);
    }
    if (k.max_width && *info.width > *k.max_width) {
      error(size + platform + " takes at most " + std::to_string(*k.max_width) + " pixels wide" +
            who);
    }
    const double ratio = static_cast<double>(*info.width) / static_cast<double>(*info.height);
    // The platforms round their ratios (1.91:1); half a percent is their slack.
    const bool too_tall = k.min_aspect_ratio && ratio < *k.min_aspect_ratio * 0.995;
    const bool too_wide = k.max_aspect_ratio && ratio > *k.max_aspect_ratio * 1.005;
    if (too_tall || too_wide) {
      std::string range;
      if (k.min_aspect_ratio && k.max_aspect_ratio) {
        range = "between " + Decimal(*k.min_aspect_ratio) + ":1 and " +
                Decimal(*k.max_aspect_ratio) + ":1";
      } else if (k.min_aspect_ratio) {
        range = "at least " + Decimal(*k.min_aspect_ratio) + ":1";
      } else {
        range = "at most " + Decimal(*k.max_aspect_ratio) + ":1";
      }
      error(size.substr(0, size.size() - 2) + " (" + Decimal(ratio) + ":1, width to height); " +
            platform + " needs an aspect ratio " + range + who);
    }
  }
  if (info.kind != MediaKind::kVideo) return;
  if (!k.containers.empty() && !Listed(k.containers, info.container)) {
    error("`" + rel + "` is a " + info.container + " file; " + platform + " accepts " +
          Joined(k.containers) + who);
  }
  if (!k.video_codecs.empty() && !Listed(k.video_codecs, info.video_codec)) {
    error("`" + rel + "` has " + info.video_codec + " video; " + platform + " accepts " +
          Joined(k.video_codecs) + who);
  }
  if (!k.audio_codecs.empty() && !info.audio_codec.empty() &&
      !Listed(k.audio_codecs, info.audio_codec)) {
    error("`" + rel + "` has " + info.audio_codec + " sound; " + platform + " accepts " +
          Joined(k.audio_codecs) + who);
  }
  if (k.min_duration_s && info.duration_s &&
      *info.duration_s < static_cast<double>(*k.min_duration_s)) {
    error("`" + rel + "` lasts " + Decimal(*info.duration_s) + " s; " + platform +
          " needs at least " + std::to_string(*k.min_duration_s) + " s" + who);
  }
  if (k.max_frame_rate && info.frame_rate && *info.frame_rate > *k.max_frame_rate + 0.01) {
    error("`" + rel + "` runs at " + Decimal(*info.frame_rate) + " frames per second; " + platform +
          " accepts up to " + Decimal(*k.max_frame_rate) + who);
  }
}

}  // namespace

void CheckPostMedia(Calendar& cal, const Post& post, const std::string& platform,
                    const std::vector<MediaSpec>& media, const Audience* audience,
                    const PlatformLimits* limits, Diagnostics& diags) {
  if (limits != nullptr) {
    if (limits->media_required && *limits->media_required && media.empty()) {
      diags.Error(post.pos, "post `" + post.id + "`: " + platform +
                                " needs at least one image or video; add `media:`");
    }
    if (limits->media_max_count &&
        static_cast<std::int64_t>(media.size()) > *limits->media_max_count) {
      diags.Error(media.front().pos, "post `" + post.id + "`: " + platform + " takes at most " +
                                         std::to_string(*limits->media_max_count) +
                                         " media, this post has " + std::to_string(media.size()));
    }
  }
  const TemplateData post_layer = PostLayer(cal, post);
  const TemplateData occ_layer = OccurrenceLayer(
      post.occurrences.empty() ? LocalSeconds{} : post.occurrences.front().wall(), platform);
  auto check_one = [&](const MediaSpec& spec, const std::string& rel, const std::string& who,
                       bool is_cover) {
    auto it = cal.media.find(rel);
    if (it == cal.media.end()) {
      Result<MediaInfo> info = ProbeMedia(cal.dir, rel);
      if (!info.ok()) {
        diags.Error(spec.pos, info.error().message() + who);
        cal.media.emplace(rel, MediaInfo{});  // report once per file
        return;
      }
      it = cal.media.emplace(rel, std::move(info).value()).first;
    }
    const MediaInfo& info = it->second;
    if (info.path.empty()) return;
    if (is_cover) {
      if (info.kind != MediaKind::kImage) {
        diags.Error(spec.pos, "cover `" + rel + "` is a video; a cover must be an image" + who);
      }
      return;
    }
    if (limits == nullptr || !limits->media_rules) return;
    const std::optional<MediaKindLimits>& k =
        info.kind == MediaKind::kImage ? limits->image : limits->video;
    if (!k) {
      diags.Error(spec.pos, "post `" + post.id + "`: " + platform + " does not accept " +
                                ToString(info.kind) + "s (`" + rel + "`)" + who);
      return;
    }
    if (!k->mime_types.empty() && std::find(k->mime_types.begin(), k->mime_types.end(),
                                            info.mime_type) == k->mime_types.end()) {
      std::string accepted;
      for (const std::string& m : k->mime_types) accepted += (accepted.empty() ? "" : ", ") + m;
      diags.Error(spec.pos, "post `" + post.id + "`: `" + rel + "` is " + info.mime_type + "; " +
                                platform + " accepts " + accepted + who);
    }
    if (k->max_bytes && info.size_bytes > *k->max_bytes) {
      diags.Error(spec.pos, "post `" + post.id + "`: `" + rel + "` is " +
                                std::to_string(info.size_bytes) + " bytes; " + platform +
                                " accepts up to " + std::to_string(*k->max_bytes) + who);
    }
    if (k->max_duration_s && info.duration_s &&
        *info.duration_s > static_cast<double>(*k->max_duration_s)) {
      diags.Error(spec.pos, "post `" + post.id + "`: `" + rel + "` lasts " +
                                std::to_string(static_cast<std::int64_t>(*info.duration_s)) +
                                " s; " + platform + " accepts up to " +
                                std::to_string(*k->max_duration_s) + " s" + who);
    }
    CheckMediaSpecs(*k, info, rel, platform, who, [&](const std::string& sentence) {
      diags.Error(spec.pos, "post `" + post.id + "`: " + sentence);
    });
  };
  // A path that uses the date (media/{{iso_date}}.jpg) is checked for every
  // occurrence, one that uses member variables for every member; bounded.
  constexpr std::size_t kMaxChecks = 100000;
  for (const MediaSpec& spec : media) {
    for (const bool cover : {false, true}) {
      const std::string& source = cover ? spec.cover : spec.path;
      if (source.empty()) continue;
      Result<TextTemplate> t = TextTemplate::Parse(source);
      if (!t.ok()) continue;
      const bool by_date =
          std::any_of(t->all_names().begin(), t->all_names().end(), [](const std::string& n) {
            return n == "date" || n == "weekday" || n == "time" || n == "year" || n == "iso_date";
          });
      std::vector<TemplateData> occ_layers;
      if (by_date) {
        for (const Occurrence& o : post.occurrences) {
          occ_layers.push_back(OccurrenceLayer(o.wall(), platform));
        }
      } else {
        occ_layers.push_back(occ_layer);
      }
      std::size_t checks = 0;
      for (const TemplateData& occ : occ_layers) {
        if (!t->has_tags() || audience == nullptr) {
          if (++checks > kMaxChecks) break;
          check_one(spec, t->Render(&occ, nullptr, &post_layer), "", cover);
          continue;
        }
        for (const Member& m : audience->members) {
          if (++checks > kMaxChecks) break;
          const TemplateData member_layer = MemberLayer(m);
          check_one(spec, t->Render(&occ, &member_layer, &post_layer), " (member `" + m.key + "`)",
                    cover);
        }
      }
    }
  }
}

}  // namespace herald::calendar
