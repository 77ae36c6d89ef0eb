#include "calendar/post_reader.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "calendar/schedule_reader.h"
#include "calendar/suggest.h"

namespace herald::calendar {

namespace {

constexpr const char* kCampaignKeys[] = {"id", "goal", "targets", "late", "posts", "note"};
constexpr const char* kPostKeys[] = {"id",   "at",    "repeat",   "time_zone", "targets", "text",
                                     "link", "media", "for_each", "late",      "note"};
constexpr const char* kMediaKeys[] = {"path", "alt", "cover", "title"};
constexpr const char* kVariantKeys[] = {"text",        "link", "media",   "title",
                                        "description", "tags", "privacy", "kind"};
constexpr const char* kWellKnownPlatforms[] = {"facebook", "instagram", "youtube", "x",
                                               "linkedin", "tiktok",    "threads", "mastodon"};
constexpr const char* kGoals[] = {"retention", "acquisition", "awareness"};

// A link herald can post: a web address with its scheme. A template
// (`{{link}}`) is judged when rendered, by the connector.
void CheckLink(YamlReader& yaml, const Entry* e) {
  const std::string link = e->value.Scalar();
  if (link.empty() || link.find("{{") != std::string::npos) return;
  if (link.find_first_of(" \t") != std::string::npos) {
    yaml.Err(e->value, "`link` has a space in it; a web address has none (write `%20` for one)");
    return;
  }
  if (link.rfind("https://", 0) != 0 && link.rfind("http://", 0) != 0) {
    yaml.Err(
        e->value,
        "`link` `" + link + "` must be a web address starting with https:// (" + "like `https://" +
            link.substr(link.find("//") == std::string::npos ? 0 : link.find("//") + 2) + "`)");
  }
}

}  // namespace

std::vector<std::string> ReadTargets(YamlReader& yaml, const Entry* e, const LoadContext& ctx) {
  std::optional<std::vector<std::string>> list =
      yaml.StringList(e, "accounts like `facebook/my-shop`");
  if (!list) return {};
  const YAML::Node& at = e->value;
  if (list->empty())
    yaml.Err(at, "`targets` is empty; name at least one account like `facebook/my-shop`");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string& t = (*list)[i];
    const YAML::Node item = at.IsSequence() ? at[i] : at;
    const std::size_t slash = t.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == t.size()) {
      yaml.Err(item, "target `" + t + "` must be written `platform/account-name`");
      continue;
    }
    if (ctx.accounts_known &&
        std::find(ctx.accounts.begin(), ctx.accounts.end(), t) == ctx.accounts.end()) {
      yaml.Err(item, "unknown account `" + t +
                         "`; accounts are defined in the daemon's configuration" +
                         Suggest(t, ctx.accounts));
      continue;
    }
    if (std::find(out.begin(), out.end(), t) != out.end()) {
      yaml.Warn(item, "target `" + t + "` is listed twice");
      continue;
    }
    const std::string platform = t.substr(0, slash);
    if (ctx.limits_known && ctx.limits.count(platform) == 0 && yaml.Once("limits:" + platform)) {
      yaml.Warn(item, "no plugin for `" + platform + "` was loaded, so posts to `" + t +
                          "` are not checked against its limits");
    }
    out.push_back(t);
  }
  return out;
}

std::optional<LatePolicy> ReadLate(YamlReader& yaml, const Entry* e) {
  std::optional<std::string> s = yaml.Scalar(e, "`skip` or `publish within 2h`");
  if (!s) return std::nullopt;
  Result<LatePolicy> p = ParseLatePolicy(*s);
  if (!p.ok()) {
    yaml.Err(e->value, p.error().message());
    return std::nullopt;
  }
  return *p;
}

void PostReader::Campaign(const YAML::Node& n) {
  const std::vector<Entry> fields = yaml_.Mapping(n, "a campaign");
  if (!n.IsMap()) return;
  const std::set<std::string> meant =
      yaml_.CheckKeys(fields, {std::begin(kCampaignKeys), std::end(kCampaignKeys)}, "a campaign");
  std::string id;
  if (const Entry* e = FindEntry(fields, "id")) {
    id = yaml_.Scalar(e, "a name").value_or("");
    if (!id.empty() && !IsIdentifier(id)) {
      yaml_.Err(e->value, "campaign id `" + id + "` may use letters, digits, `-`, `_`, `.`");
    } else if (!id.empty() && !campaign_ids_.insert(id).second) {
      yaml_.Err(e->value, "campaign id `" + id + "` is used twice in this calendar");
    }
  } else if (meant.count("id") == 0) {
    yaml_.Err(n, "this campaign needs an `id`");
  }
  std::string goal;
  if (const Entry* e = FindEntry(fields, "goal")) {
    goal = yaml_.Scalar(e, "a word").value_or("");
    if (!goal.empty() &&
        std::find(std::begin(kGoals), std::end(kGoals), goal) == std::end(kGoals)) {
      const bool word = std::all_of(goal.begin(), goal.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      });
      if (!word) {
        yaml_.Err(e->value, "goal `" + goal +
                                "` must be one lowercase word: retention, acquisition, awareness, "
                                "or your own");
      } else {
        const std::string close = Suggest(goal, {std::begin(kGoals), std::end(kGoals)});
        if (!close.empty()) yaml_.Warn(e->value, "custom goal `" + goal + "`" + close);
      }
    }
  } else if (meant.count("goal") == 0) {
    yaml_.Err(n, "campaign `" + id +
                     "` needs a `goal`: retention, acquisition, awareness, or your own word");
  }
  std::optional<std::vector<std::string>> targets;
  if (const Entry* e = FindEntry(fields, "targets")) targets = ReadTargets(yaml_, e, ctx_);
  std::optional<LatePolicy> late;
  if (const Entry* e = FindEntry(fields, "late")) late = ReadLate(yaml_, e);
  const Entry* posts = FindEntry(fields, "posts");
  if (posts == nullptr) {
    if (meant.count("posts") == 0) yaml_.Warn(n, "campaign `" + id + "` has no `posts`");
    return;
  }
  if (!posts->value.IsSequence()) {
    yaml_.Err(posts->value, "`posts` must be a list; start each post with `- id: ...`");
    return;
  }
  for (const YAML::Node& p : posts->value) PostEntry(p, id, goal, targets, late);
}

void PostReader::PostEntry(const YAML::Node& n, const std::string& campaign_id,
                           const std::string& goal,
                           const std::optional<std::vector<std::string>>& campaign_targets,
                           const std::optional<LatePolicy>& campaign_late) {
  const std::vector<Entry> fields = yaml_.Mapping(n, "a post");
  if (!n.IsMap()) return;
  Post post;
  post.pos = yaml_.Pos(n);
  post.text_pos = post.link_pos = post.pos;
  post.campaign_id = campaign_id;
  post.goal = goal;

  if (const Entry* e = FindEntry(fields, "id")) {
    post.id = yaml_.Scalar(e, "a name").value_or("");
    if (!post.id.empty() && !IsIdentifier(post.id)) {
      yaml_.Err(e->value, "post id `" + post.id + "` may use letters, digits, `-`, `_`, `.`");
    } else if (!post.id.empty() && !post_ids_.insert(post.id).second) {
      yaml_.Err(e->value, "post id `" + post.id + "` is used twice in this calendar");
    }
  }

  post.targets = campaign_targets ? *campaign_targets : defaults_.targets;
  bool targets_written = campaign_targets.has_value() || defaults_.targets_written;
  if (const Entry* e = FindEntry(fields, "targets")) {
    post.targets = ReadTargets(yaml_, e, ctx_);
    targets_written = true;
  }
  post.late = campaign_late.value_or(defaults_.late);
  if (const Entry* e = FindEntry(fields, "late")) {
    if (auto l = ReadLate(yaml_, e)) post.late = *l;
  }

  // Keys that are not post keys may be per-platform settings.
  std::set<std::string> platforms;
  for (const std::string& t : post.targets) platforms.insert(t.substr(0, t.find('/')));
  std::vector<std::string> allowed(std::begin(kPostKeys), std::end(kPostKeys));
  std::vector<std::string> suggestions = allowed;
  suggestions.insert(suggestions.end(), std::begin(kWellKnownPlatforms),
                     std::end(kWellKnownPlatforms));
  for (const auto& [name, limits] : ctx_.limits) suggestions.push_back(name);
  std::set<std::string> meant;
  for (const Entry& e : fields) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    const bool known_platform =
        platforms.count(e.key) > 0 || ctx_.limits.count(e.key) > 0 ||
        std::find(std::begin(kWellKnownPlatforms), std::end(kWellKnownPlatforms), e.key) !=
            std::end(kWellKnownPlatforms);
    if (!known_platform) {
      const std::string close = Suggest(e.key, suggestions);
      yaml_.Err(e.key_node, "unknown key `" + e.key + "` in a post" + close);
      meant.insert(SuggestedWord(close));
      continue;
    }
    if (platforms.count(e.key) == 0) {
      yaml_.Warn(e.key_node, "`" + e.key + "` settings are unused: post `" + post.id + "` has no " +
                                 e.key + " target");
    }
    PlatformVariant v;
    v.pos = yaml_.Pos(e.key_node);
    const std::vector<Entry> vf = yaml_.Mapping(e.value, "platform settings");
    yaml_.CheckKeys(vf, {std::begin(kVariantKeys), std::end(kVariantKeys)},
                    ("`" + e.key + "` settings").c_str());
    auto text_of = [&](const char* key) -> std::optional<std::string> {
      const Entry* f = FindEntry(vf, key);
      std::optional<std::string> s = yaml_.Scalar(f, "text");
      if (s) {
        yaml_.Template(f, *s, key);
        if (std::string_view(key) != "link" && std::string_view(key) != "privacy") {
          yaml_.CheckHashtagComment(f);
        }
      }
      return s;
    };
    v.text = text_of("text");
    v.link = text_of("link");
    v.title = text_of("title");
    v.description = text_of("description");
    v.privacy = text_of("privacy");
    if (v.privacy && *v.privacy != "public" && *v.privacy != "unlisted" &&
        *v.privacy != "private") {
      yaml_.Err(FindEntry(vf, "privacy")->value, "`privacy` must be public, unlisted or private");
    }
    if (const Entry* f = FindEntry(vf, "tags")) {
      v.tags = yaml_.StringList(f, "words");
      if (v.tags) {
        for (const std::string& tag : *v.tags) yaml_.Template(f, tag, "tags");
      }
    }
    if (const Entry* f = FindEntry(vf, "media")) v.media = MediaList(f);
    if (const Entry* f = FindEntry(vf, "kind")) {
      v.kind = yaml_.Scalar(f, "a post kind");
      v.kind_pos = yaml_.Pos(f->value);
    }
    post.variants[e.key] = std::move(v);
  }

  if (const Entry* e = FindEntry(fields, "text")) {
    post.text_pos = yaml_.Pos(e->value.IsNull() ? e->key_node : e->value);
    post.text_written = true;
    if (std::optional<std::string> text = yaml_.Scalar(e, "text")) {
      post.text = *text;
      yaml_.Template(e, post.text, "text");
      yaml_.CheckHashtagComment(e);
    }
  }
  if (const Entry* e = FindEntry(fields, "link")) {
    post.link_pos = yaml_.Pos(e->value.IsNull() ? e->key_node : e->value);
    if (std::optional<std::string> link = yaml_.Scalar(e, "a web address")) {
      post.link = *link;
      if (yaml_.Template(e, post.link, "link")) CheckLink(yaml_, e);
    }
  }
  post.media = MediaList(FindEntry(fields, "media"));
  if (const Entry* e = FindEntry(fields, "for_each")) {
    post.for_each = yaml_.Scalar(e, "an audience name").value_or("");
    if (!post.for_each.empty() && cal_.audiences.count(post.for_each) == 0) {
      std::vector<std::string> names;
      for (const auto& [name, a] : cal_.audiences) names.push_back(name);
      yaml_.Err(e->value,
                "unknown audience `" + post.for_each + "`" + Suggest(post.for_each, names));
    }
  }

  post.time_zone = cal_.time_zone;
  std::optional<TimeZone> zone = defaults_.zone;
  if (const Entry* e = FindEntry(fields, "time_zone")) {
    if (std::optional<std::string> z = yaml_.Scalar(e, "an IANA time zone like `Europe/Paris`")) {
      Result<TimeZone> tz = TimeZone::Find(*z);
      if (tz.ok()) {
        zone = *tz;
        post.time_zone = *z;
        if (std::string why = ZoneCaveat(*z); !why.empty()) yaml_.Warn(e->value, why);
      } else {
        yaml_.Err(e->value, tz.error().message() + " (this post is checked in UTC)");
        zone = *TimeZone::Find("UTC");
      }
    }
  }
  const Entry* at = FindEntry(fields, "at");
  const Entry* repeat = FindEntry(fields, "repeat");
  if (at != nullptr && repeat != nullptr) {
    yaml_.Err(repeat->key_node, "a post has either `at` (once) or `repeat` (recurring), not both");
  } else if (at == nullptr && repeat == nullptr) {
    if (meant.count("at") == 0 && meant.count("repeat") == 0) {
      yaml_.Err(n,
                "post `" + post.id + "` needs a time: `at: 2025-07-04 10:00` or a `repeat:` block");
    }
  } else {
    ReadOccurrences(yaml_, post, at, repeat, zone ? *zone : *TimeZone::Find("UTC"),
                    ctx_.caps.max_occurrences_per_post);
  }
  if (FindEntry(fields, "id") == nullptr && meant.count("id") == 0) {
    yaml_.Err(n, "this post needs an `id` (a name unique in the calendar)");
  }
  if (meant.count("text") > 0) post.text_written = true;  // misspelt, already reported
  if (post.targets.empty() && !targets_written && meant.count("targets") == 0) {
    yaml_.Err(n, "post `" + post.id +
                     "` has no targets; add `targets:` to the post, its campaign or the calendar");
  }
  checker_.Check(post);
  cal_.posts.push_back(std::move(post));
}

std::vector<MediaSpec> PostReader::MediaList(const Entry* e) {
  std::vector<MediaSpec> out;
  if (e == nullptr) return out;
  YAML::Node list = e->value;
  std::vector<YAML::Node> items;
  if (list.IsSequence()) {
    for (const YAML::Node& i : list) items.push_back(i);
  } else {
    items.push_back(list);
  }
  for (const YAML::Node& item : items) {
    MediaSpec m;
    m.pos = yaml_.Pos(item);
    if (item.IsScalar()) {
      m.path = item.Scalar();
    } else if (item.IsMap()) {
      const std::vector<Entry> fields = yaml_.Mapping(item, "a medium");
      const std::set<std::string> meant =
          yaml_.CheckKeys(fields, {std::begin(kMediaKeys), std::end(kMediaKeys)}, "a medium");
      const Entry* p = FindEntry(fields, "path");
      if (p == nullptr) {
        if (meant.count("path") == 0) yaml_.Err(item, "a medium needs a `path`");
        continue;
      }
      m.path = yaml_.Scalar(p, "a file path").value_or("");
      m.alt = yaml_.Scalar(FindEntry(fields, "alt"), "text").value_or("");
      m.cover = yaml_.Scalar(FindEntry(fields, "cover"), "an image path").value_or("");
      m.title = yaml_.Scalar(FindEntry(fields, "title"), "text").value_or("");
      yaml_.CheckHashtagComment(FindEntry(fields, "alt"));
      yaml_.CheckHashtagComment(FindEntry(fields, "title"));
    } else {
      yaml_.Err(item, "a medium is a path, or a mapping with `path` and options");
      continue;
    }
    for (const std::string* s : {&m.path, &m.alt, &m.cover, &m.title}) {
      Result<TextTemplate> t = TextTemplate::Parse(*s);
      if (!t.ok()) yaml_.Err(item, "in media: " + t.error().message());
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace herald::calendar
