#include "calendar/expand.h"

#include <cpprest/json.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "calendar/stable_hash.h"
#include "calendar/template_layers.h"
#include "calendar/text_template.h"
#include "calendar/time_zone.h"

namespace herald::calendar {
namespace {

// A template that failed to parse renders as its source; the loader has
// already refused such calendars, so this only guards hand-built sets.
struct Tmpl {
  std::optional<TextTemplate> t;
  std::string source;
  explicit Tmpl(const std::string& s) : source(s) {
    Result<TextTemplate> r = TextTemplate::Parse(s);
    if (r.ok()) t = std::move(r).value();
  }
  std::string Render(const TemplateData* occ, const TemplateData* member,
                     const TemplateData* post) const {
    return t ? t->Render(occ, member, post) : source;
  }
};

struct MediaTmpl {
  Tmpl path, alt, cover, title;
  explicit MediaTmpl(const MediaSpec& m)
      : path(m.path), alt(m.alt), cover(m.cover), title(m.title) {}
};

// Everything one platform's version of a post renders from.
struct PlatformTmpl {
  std::string platform;
  Tmpl text;
  Tmpl link;
  std::optional<Tmpl> title, description, privacy;
  std::optional<std::string> kind;
  std::vector<Tmpl> tags;
  std::vector<MediaTmpl> media;

  PlatformTmpl(const Post& post, const std::string& p)
      : platform(p), text(Pick(post, p, true)), link(Pick(post, p, false)) {
    const auto it = post.variants.find(p);
    const PlatformVariant* v = it == post.variants.end() ? nullptr : &it->second;
    if (v != nullptr) {
      if (v->title) title.emplace(*v->title);
      if (v->description) description.emplace(*v->description);
      if (v->privacy) privacy.emplace(*v->privacy);
      kind = v->kind;
      if (v->tags) {
        for (const std::string& t : *v->tags) tags.emplace_back(t);
      }
    }
    for (const MediaSpec& m : v != nullptr && v->media ? *v->media : post.media) {
      media.emplace_back(m);
    }
  }

  static std::string Pick(const Post& post, const std::string& p, bool text) {
    const auto it = post.variants.find(p);
    if (it != post.variants.end()) {
      const auto& field = text ? it->second.text : it->second.link;
      if (field) return *field;
    }
    return text ? post.text : post.link;
  }
};

JobMedia ResolveMedia(const Calendar& cal, const std::string& rel) {
  JobMedia m;
  const auto it = cal.media.find(rel);
  if (it != cal.media.end() && !it->second.path.empty()) {
    m.path = it->second.path;
    m.file = it->second.file;
    m.kind = it->second.kind;
    m.mime_type = it->second.mime_type;
    m.size_bytes = it->second.size_bytes;
  } else {
    m.path = (std::filesystem::path(cal.dir) / rel).lexically_normal().string();
  }
  return m;
}

std::string ContentHash(const Job& j, const std::string& late) {
  StableHash h;
  h.Add(j.id).Add(j.campaign_id).Add(j.goal).Add(j.text).Add(j.link).Add(j.options_json);
  h.Add(late).Add(j.time_zone);
  // The files' identities are part of the content: a medium replaced on disk
  // updates its pending jobs, so the identity they carry is the checked one.
  auto add_file = [&h](const FileRef& f) {
    h.Add(f.root).Add(f.relative).Add(static_cast<std::int64_t>(f.identity.device));
    h.Add(static_cast<std::int64_t>(f.identity.inode)).Add(f.identity.size);
    h.Add(f.identity.mtime_ns);
  };
  for (const JobMedia& m : j.media) {
    h.Add(m.path).Add(m.mime_type).Add(m.size_bytes).Add(m.alt).Add(m.cover).Add(m.title);
    add_file(m.file);
    add_file(m.cover_file);
  }
  return h.Hex();
}

}  // namespace

std::vector<Job> Expand(const CalendarSet& calendars, TimePoint from, TimePoint to) {
  // Reserve exactly: growing a vector of a million jobs would copy and fault
  // in twice the memory.
  std::size_t total = 0;
  for (const Calendar& cal : calendars.calendars) {
    for (const Post& post : cal.posts) {
      const auto first =
          std::lower_bound(post.occurrences.begin(), post.occurrences.end(), from,
                           [](const Occurrence& o, TimePoint t) { return o.utc < t; });
      std::size_t n = 0;
      for (auto o = first; o != post.occurrences.end() && o->utc < to; ++o) ++n;
      std::size_t members = 1;
      if (!post.for_each.empty()) {
        const auto a = cal.audiences.find(post.for_each);
        members = a == cal.audiences.end() ? 0 : a->second.members.size();
      }
      total += n * members * post.targets.size();
    }
  }
  std::vector<Job> jobs;
  jobs.reserve(total);
  for (const Calendar& cal : calendars.calendars) {
    std::map<std::string, std::vector<TemplateData>> member_layers;
    for (const auto& [id, audience] : cal.audiences) {
      std::vector<TemplateData>& layers = member_layers[id];
      layers.reserve(audience.members.size());
      for (const Member& m : audience.members) layers.push_back(MemberLayer(m));
    }
    for (const Post& post : cal.posts) {
      const auto first =
          std::lower_bound(post.occurrences.begin(), post.occurrences.end(), from,
                           [](const Occurrence& o, TimePoint t) { return o.utc < t; });
      if (first == post.occurrences.end() || first->utc >= to) continue;
      const Audience* audience = nullptr;
      const std::vector<TemplateData>* members = nullptr;
      if (!post.for_each.empty()) {
        const auto a = cal.audiences.find(post.for_each);
        if (a == cal.audiences.end()) continue;
        audience = &a->second;
        members = &member_layers[post.for_each];
      }
      const TemplateData post_layer = PostLayer(cal, post);
      const std::string late = ToString(post.late);
      std::map<std::string, PlatformTmpl> by_platform;
      for (const std::string& target : post.targets) {
        const std::string platform = target.substr(0, target.find('/'));
        by_platform.try_emplace(platform, post, platform);
      }
      for (auto occ = first; occ != post.occurrences.end() && occ->utc < to; ++occ) {
        const LocalSeconds wall = occ->wall();
        const std::string local_time = FormatLocal(wall, occ->utc_offset_s);
        const TimePoint due = std::chrono::time_point_cast<std::chrono::milliseconds>(occ->utc);
        for (const std::string& target : post.targets) {
          const std::string platform = target.substr(0, target.find('/'));
          const PlatformTmpl& pt = by_platform.at(platform);
          const TemplateData occ_layer = OccurrenceLayer(wall, platform);
          const std::size_t n = audience != nullptr ? audience->members.size() : 1;
          for (std::size_t i = 0; i < n; ++i) {
            const TemplateData* member = members != nullptr ? &(*members)[i] : nullptr;
            Job j;
            j.calendar_id = cal.id;
            j.post_id = post.id;
            j.campaign_id = post.campaign_id;
            j.goal = post.goal;
            j.due = due;
            j.local_time = local_time;
            j.time_zone = post.time_zone;
            if (audience != nullptr) j.member_key = audience->members[i].key;
            j.account = target;
            j.platform = platform;
            j.late_policy = post.late;
            j.id = StableHash()
                       .Add(j.calendar_id)
                       .Add(j.post_id)
                       .Add(static_cast<std::int64_t>(due.time_since_epoch().count()))
                       .Add(j.member_key)
                       .Add(j.account)
                       .Hex();
            j.text = pt.text.Render(&occ_layer, member, &post_layer);
            j.link = pt.link.Render(&occ_layer, member, &post_layer);
            for (const MediaTmpl& mt : pt.media) {
              JobMedia m = ResolveMedia(cal, mt.path.Render(&occ_layer, member, &post_layer));
              m.alt = mt.alt.Render(&occ_layer, member, &post_layer);
              const std::string cover = mt.cover.Render(&occ_layer, member, &post_layer);
              if (!cover.empty()) {
                JobMedia c = ResolveMedia(cal, cover);
                m.cover = std::move(c.path);
                m.cover_file = std::move(c.file);
              }
              m.title = mt.title.Render(&occ_layer, member, &post_layer);
              j.media.push_back(std::move(m));
            }
            if (pt.title || pt.description || pt.privacy || pt.kind || !pt.tags.empty()) {
              using web::json::value;
              value o = value::object();
              if (pt.title)
                o["title"] = value::string(pt.title->Render(&occ_layer, member, &post_layer));
              if (pt.description) {
                o["description"] =
                    value::string(pt.description->Render(&occ_layer, member, &post_layer));
              }
              if (!pt.tags.empty()) {
                value tags = value::array(pt.tags.size());
                for (std::size_t t = 0; t < pt.tags.size(); ++t) {
                  tags[t] = value::string(pt.tags[t].Render(&occ_layer, member, &post_layer));
                }
                o["tags"] = std::move(tags);
              }
              if (pt.privacy)
                o["privacy"] = value::string(pt.privacy->Render(&occ_layer, member, &post_layer));
              if (pt.kind) o["kind"] = value::string(*pt.kind);
              j.options_json = o.serialize();
            } else {
              j.options_json = "{}";
            }
            j.content_hash = ContentHash(j, late);
            jobs.push_back(std::move(j));
          }
        }
      }
    }
  }
  // Order by due; equal instants keep the generation order (post, target,
  // member). Sorting keys and permuting in place keeps peak memory low.
  if (std::is_sorted(jobs.begin(), jobs.end(),
                     [](const Job& a, const Job& b) { return a.due < b.due; })) {
    return jobs;
  }
  std::vector<std::pair<TimePoint, std::size_t>> order(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) order[i] = {jobs[i].due, i};
  std::sort(order.begin(), order.end());
  std::vector<bool> placed(jobs.size(), false);
  for (std::size_t start = 0; start < jobs.size(); ++start) {
    if (placed[start]) continue;
    // Position i takes the job that was at order[i].second.
    Job held = std::move(jobs[start]);
    std::size_t i = start;
    while (order[i].second != start) {
      jobs[i] = std::move(jobs[order[i].second]);
      placed[i] = true;
      i = order[i].second;
    }
    jobs[i] = std::move(held);
    placed[i] = true;
  }
  return jobs;
}

}  // namespace herald::calendar
