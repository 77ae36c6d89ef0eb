#include "calendar/post_checks.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "calendar/media_checks.h"
#include "calendar/suggest.h"
#include "calendar/template_layers.h"
#include "calendar/text_stats.h"

namespace herald::calendar {

void PostChecker::Check(const Post& post) {
  const Audience* audience = nullptr;
  if (!post.for_each.empty()) {
    const auto it = cal_.audiences.find(post.for_each);
    // An unknown audience is reported where it is named; without its
    // members the variables cannot be judged.
    if (it == cal_.audiences.end()) {
      CheckPlatforms(post, nullptr);
      return;
    }
    audience = &it->second;
  }
  CheckTemplates(post, audience);
  CheckPlatforms(post, audience);
}

void PostChecker::CheckPlatforms(const Post& post, const Audience* audience) {
  std::set<std::string> done;
  for (const std::string& target : post.targets) {
    const std::string platform = target.substr(0, target.find('/'));
    if (!done.insert(platform).second) continue;
    const auto vit = post.variants.find(platform);
    const PlatformVariant* v = vit == post.variants.end() ? nullptr : &vit->second;
    const auto lit = limits_.find(platform);
    const PlatformLimits* limits = lit == limits_.end() ? nullptr : &lit->second;
    // A post kind (`kind: story`) must be one the platform names; its limits apply.
    PlatformLimits kind_limits;
    // Without the platform's limits, whether a kind publishes text is unknown:
    // then none is required of it.
    bool wants_text = !(v != nullptr && v->kind && limits == nullptr);
    if (v != nullptr && v->kind && limits != nullptr) {
      auto kit = limits->kinds.find(*v->kind);
      if (kit == limits->kinds.end()) {
        std::vector<std::string> names;
        std::string known;
        for (const auto& [name, k] : limits->kinds) {
          names.push_back(name);
          known += (known.empty() ? "" : ", ") + name;
        }
        diags_.Error(v->kind_pos,
                     names.empty()
                         ? "`kind: " + *v->kind + "`: " + platform + " has one kind of post only"
                         : "`kind: " + *v->kind + "` is not one of " + platform +
                               "'s post kinds (" + known + ")" + Suggest(*v->kind, names));
      } else {
        kind_limits = limits->ForKind(kit->second);
        limits = &kind_limits;
        wants_text = kit->second.text;
      }
    }
    const std::string& text = v != nullptr && v->text ? *v->text : post.text;
    const SourcePos text_pos = v != nullptr && v->text ? v->pos : post.text_pos;
    if (!wants_text) {
      if (v != nullptr && v->text && !v->text->empty()) {
        diags_.Warning(v->pos, "post `" + post.id + "`: " + platform +
                                   " publishes no text with a " + *v->kind +
                                   "; its `text` is not sent");
      }
    } else if (text.empty() && !(v != nullptr && v->title) && !post.text_written) {
      diags_.Error(post.pos, "post `" + post.id + "` has no text for " + platform +
                                 "; add `text:` or `" + platform + ": {text: ...}`");
    }
    const std::vector<MediaSpec>& media = v != nullptr && v->media ? *v->media : post.media;
    CheckPostMedia(cal_, post, platform, media, audience, limits, diags_);
    if (limits == nullptr) continue;
    if (Result<TextTemplate> t = TextTemplate::Parse(text); wants_text && t.ok()) {
      CheckRenderedLimits(post, platform, text_pos, *t, "text", limits->text_max,
                          limits->hashtags_max, limits->mentions_max, audience);
    }
    const std::string& link = v != nullptr && v->link ? *v->link : post.link;
    if (!link.empty() && limits->link_allowed && !*limits->link_allowed) {
      diags_.Error(v != nullptr && v->link ? v->pos : post.link_pos,
                   "post `" + post.id + "`: " + platform +
                       " does not take a link; put it in the text or drop `link`");
    }
    if (v == nullptr) continue;
    if (v->title) {
      if (Result<TextTemplate> t = TextTemplate::Parse(*v->title); t.ok()) {
        CheckRenderedLimits(post, platform, v->pos, *t, "title", limits->title_max, std::nullopt,
                            std::nullopt, audience);
      }
    }
    if (v->description) {
      if (Result<TextTemplate> t = TextTemplate::Parse(*v->description); t.ok()) {
        CheckRenderedLimits(post, platform, v->pos, *t, "description", limits->description_max,
                            std::nullopt, std::nullopt, audience);
      }
    }
    if (v->tags && limits->tags_max_total_chars) {
      std::string joined;
      for (const std::string& tag : *v->tags) joined += tag;
      if (Result<TextTemplate> t = TextTemplate::Parse(joined); t.ok()) {
        CheckRenderedLimits(post, platform, v->pos, *t, "tags (all together)",
                            limits->tags_max_total_chars, std::nullopt, std::nullopt, audience);
      }
    }
  }
}

void PostChecker::CheckTemplates(const Post& post, const Audience* audience) {
  std::vector<std::pair<std::string, SourcePos>> sources = {{post.text, post.text_pos},
                                                            {post.link, post.pos}};
  for (const auto& [platform, v] : post.variants) {
    for (const auto* s : {&v.text, &v.link, &v.title, &v.description, &v.privacy}) {
      if (*s) sources.emplace_back(**s, v.pos);
    }
    if (v.tags) {
      for (const std::string& tag : *v.tags) sources.emplace_back(tag, v.pos);
    }
    if (v.media) {
      for (const MediaSpec& m : *v.media) {
        for (const auto* s : {&m.path, &m.alt, &m.cover, &m.title}) sources.emplace_back(*s, m.pos);
      }
    }
  }
  for (const MediaSpec& m : post.media) {
    for (const auto* s : {&m.path, &m.alt, &m.cover, &m.title}) sources.emplace_back(*s, m.pos);
  }
  std::vector<std::string> builtins = BuiltinNames();
  std::vector<std::string> columns;  // every variable some member has, and the built-ins
  if (audience != nullptr) {
    for (const auto& [name, stats] : bounds_.at(audience->id).longest) columns.push_back(name);
    std::sort(columns.begin(), columns.end());
    columns.insert(columns.end(), builtins.begin(), builtins.end());
  }
  std::set<std::string> said;  // one message per name and post
  for (const auto& [source, pos] : sources) {
    Result<TextTemplate> t = TextTemplate::Parse(source);
    if (!t.ok()) continue;  // reported where it was read
    for (const std::string& full : t->required_names()) {
      const std::string name = full.substr(0, full.find('.'));
      if (IsBuiltinName(name)) continue;
      if (audience == nullptr) {
        if (!said.insert(name).second) continue;
        const std::string close = Suggest(name, builtins);
        diags_.Error(pos, close.empty() ? "post `" + post.id + "` uses `{{" + full +
                                              "}}` but has no `for_each` audience to fill it"
                                        : "post `" + post.id + "`: unknown template variable `" +
                                              full + "`" + close);
        continue;
      }
      const AudienceBounds& bounds = bounds_.at(audience->id);
      if (bounds.shared_names.count(name) > 0) continue;
      if (bounds.longest.count(name) == 0 && !audience->members.empty()) {
        if (!said.insert(name).second) continue;
        diags_.Error(pos, "post `" + post.id + "`: template variable `" + full +
                              "` is not in audience `" + audience->id + "` (no member has it)" +
                              Suggest(name, columns));
        continue;
      }
      std::size_t missing = 0;
      std::string first_keys;
      for (const Member& m : audience->members) {
        const bool has = std::any_of(m.vars.begin(), m.vars.end(),
                                     [&](const auto& kv) { return kv.first == name; });
        if (has) continue;
        if (++missing <= 3) {
          first_keys += (first_keys.empty() ? "`" : ", `") + m.key + "`";
        }
      }
      if (missing > 0) {
        diags_.Error(pos, "post `" + post.id + "`: template variable `" + full +
                              "` is missing for member " + first_keys +
                              (missing > 3 ? " and " + std::to_string(missing - 3) + " more" : "") +
                              " of audience `" + audience->id + "`" +
                              (bounds.csv_columns.count(name) > 0
                                   ? " (an empty cell; put the text that needs it in a section, "
                                     "`{{#" +
                                         name + "}}...{{/" + name + "}}`, to leave it out)"
                                   : ""));
      }
    }
    for (const std::string& full : t->section_names()) {
      const std::string name = full.substr(0, full.find('.'));
      if (IsBuiltinName(name) || audience == nullptr) continue;
      const AudienceBounds& bounds = bounds_.at(audience->id);
      if (bounds.longest.count(name) == 0 && !audience->members.empty()) {
        if (!said.insert("#" + name).second) continue;
        diags_.Warning(pos, "post `" + post.id + "`: section `{{#" + full +
                                "}}` is about a variable no member of audience `" + audience->id +
                                "` has, so it never shows" + Suggest(name, columns));
        continue;
      }
      // A CSV cell left empty counts as absent: the section shows nothing
      // for that member, which is worth saying once.
      if (bounds.csv_columns.count(name) == 0 || bounds.shared_names.count(name) > 0) continue;
      if (!said.insert("#" + name).second) continue;
      std::size_t empty = 0;
      std::string first_keys;
      for (const Member& m : audience->members) {
        if (std::any_of(m.vars.begin(), m.vars.end(),
                        [&](const auto& kv) { return kv.first == name; })) {
          continue;
        }
        if (++empty <= 3) first_keys += (first_keys.empty() ? "`" : ", `") + m.key + "`";
      }
      diags_.Warning(pos, "post `" + post.id + "`: `{{#" + full + "}}` shows nothing for member " +
                              first_keys +
                              (empty > 3 ? " and " + std::to_string(empty - 3) + " more" : "") +
                              ", whose `" + name + "` cell is empty");
    }
  }
}

void PostChecker::CheckRenderedLimits(const Post& post, const std::string& platform,
                                      const SourcePos& pos, const TextTemplate& tmpl,
                                      const char* what, std::optional<std::int64_t> max_chars,
                                      std::optional<std::int64_t> max_hashtags,
                                      std::optional<std::int64_t> max_mentions,
                                      const Audience* audience) {
  if (!max_chars && !max_hashtags && !max_mentions) return;
  // Upper bound from the literal text and the longest value of each name;
  // render member by member only when the bound could exceed a limit.
  TextStats bound = StatsOf(tmpl.literal_text());
  const auto* member_stats = audience != nullptr ? &bounds_.at(audience->id).longest : nullptr;
  for (const std::string& name : tmpl.all_names()) {
    TextStats s;
    if (name == "campaign")
      s = StatsOf(post.campaign_id);
    else if (name == "goal")
      s = StatsOf(post.goal);
    else if (name == "post")
      s = StatsOf(post.id);
    else if (name == "calendar")
      s = StatsOf(cal_.id);
    else if (name == "link")
      s = StatsOf(post.link);
    else if (name == "platform")
      s = StatsOf(platform);
    else if (IsBuiltinName(name))
      s.cp = BuiltinMaxLength(name);
    else if (member_stats != nullptr) {
      const auto it = member_stats->find(name.substr(0, name.find('.')));
      if (it != member_stats->end()) s = it->second;
    }
    bound.cp += s.cp;
    bound.hashes += s.hashes;
    bound.ats += s.ats;
  }
  auto over = [](std::optional<std::int64_t> lim, std::size_t n) {
    return lim && static_cast<std::int64_t>(n) > *lim;
  };
  if (!over(max_chars, bound.cp) && !over(max_hashtags, bound.hashes) &&
      !over(max_mentions, bound.ats)) {
    return;
  }
  const TemplateData post_layer = PostLayer(cal_, post);
  std::vector<const Member*> members;
  if (audience != nullptr) {
    for (const Member& m : audience->members) members.push_back(&m);
  } else {
    members.push_back(nullptr);
  }
  constexpr std::size_t kMaxRenders = 20000;
  std::size_t renders = 0;
  int reported = 0;
  for (const Occurrence& occ : post.occurrences) {
    const TemplateData occ_layer = OccurrenceLayer(occ.wall(), platform);
    for (const Member* m : members) {
      if (++renders > kMaxRenders || reported >= 3) return;
      const TemplateData member_layer = m != nullptr ? MemberLayer(*m) : TemplateData();
      const std::string out = tmpl.Render(&occ_layer, &member_layer, &post_layer);
      const std::string who = m != nullptr ? " (member `" + m->key + "`)" : "";
      const TextStats s = StatsOf(out);
      if (over(max_chars, s.cp)) {
        diags_.Error(pos, "post `" + post.id + "`: " + platform + " " + what + who + ": " +
                              std::to_string(s.cp) + " characters, more than the " +
                              std::to_string(*max_chars) + " " + platform + " allows");
        ++reported;
      }
      const std::size_t tags = CountTags(out, '#');
      if (over(max_hashtags, tags)) {
        diags_.Error(pos, "post `" + post.id + "`: " + platform + " " + what + who + ": " +
                              std::to_string(tags) + " hashtags, more than the " +
                              std::to_string(*max_hashtags) + " " + platform + " allows");
        ++reported;
      }
      const std::size_t mentions = CountTags(out, '@');
      if (over(max_mentions, mentions)) {
        diags_.Error(pos, "post `" + post.id + "`: " + platform + " " + what + who + ": " +
                              std::to_string(mentions) + " mentions, more than the " +
                              std::to_string(*max_mentions) + " " + platform + " allows");
        ++reported;
      }
    }
  }
}

}  // namespace herald::calendar
