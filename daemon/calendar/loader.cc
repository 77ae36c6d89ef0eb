#include "calendar/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <locale>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "calendar/csv_reader.h"
#include "calendar/expand.h"
#include "calendar/media_probe.h"
#include "calendar/recurrence.h"
#include "calendar/template_layers.h"
#include "calendar/text_template.h"
#include "calendar/time_zone.h"

namespace herald::calendar {

bool LoadResult::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

namespace {

namespace fs = std::filesystem;

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

constexpr const char* kCalendarKeys[] = {"calendar",  "time_zone", "targets", "late",
                                         "audiences", "campaigns", "note"};
constexpr const char* kCampaignKeys[] = {"id", "goal", "targets", "late", "posts", "note"};
constexpr const char* kPostKeys[] = {"id",   "at",    "repeat",   "time_zone", "targets", "text",
                                     "link", "media", "for_each", "late",      "note"};
constexpr const char* kRepeatKeys[] = {"rule", "start", "until", "count", "except"};
constexpr const char* kAudienceKeys[] = {"file", "members", "note"};
constexpr const char* kMediaKeys[] = {"path", "alt", "cover", "title"};
constexpr const char* kVariantKeys[] = {"text",        "link", "media",   "title",
                                        "description", "tags", "privacy", "kind"};
constexpr const char* kWellKnownPlatforms[] = {"facebook", "instagram", "youtube", "x",
                                               "linkedin", "tiktok",    "threads", "mastodon"};
constexpr const char* kGoals[] = {"retention", "acquisition", "awareness"};

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// "; did you mean `text`?" or "" when nothing is close.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best.empty() ? "" : "; did you mean `" + best + "`?";
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

struct TextStats {
  std::size_t cp = 0;
  std::size_t hashes = 0;
  std::size_t ats = 0;
};

TextStats StatsOf(std::string_view s) {
  TextStats t;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++t.cp;
    if (c == '#') ++t.hashes;
    if (c == '@') ++t.ats;
  }
  return t;
}

bool WordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// Hashtags (#word) or mentions (@word) in rendered text.
std::size_t CountTags(std::string_view s, char sigil) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == sigil && WordChar(static_cast<unsigned char>(s[i + 1])) &&
        (i == 0 || !WordChar(static_cast<unsigned char>(s[i - 1])))) {
      ++n;
    }
  }
  return n;
}

// One YAML mapping's entries in order, with the key nodes kept for positions.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// Loads one calendar file; all problems go to diags.
class FileLoader {
 public:
  FileLoader(const std::string& path, const LoadContext& ctx, Diagnostics& diags)
      : path_(path), ctx_(ctx), diags_(diags) {}

  std::optional<Calendar> Run();

 private:
  SourcePos Pos(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.is_null()) return {path_, 0, 0};
    return {path_, m.line + 1, m.column + 1};
  }
  SourcePos FilePos() const { return {path_, 0, 0}; }
  void Err(const YAML::Node& n, std::string msg) { diags_.Error(Pos(n), std::move(msg)); }
  void Warn(const YAML::Node& n, std::string msg) { diags_.Warning(Pos(n), std::move(msg)); }

  bool CountNodes(const YAML::Node& n, std::size_t depth, std::size_t& count);
  void CheckQuotes(const YAML::Node& n, const std::string& text);
  std::vector<Entry> Mapping(const YAML::Node& n, const char* what);
  void CheckKeys(const std::vector<Entry>& entries, std::vector<std::string> allowed,
                 const char* where);
  static const Entry* Find(const std::vector<Entry>& entries, std::string_view key);
  std::optional<std::string> Scalar(const Entry* e, const char* what);
  std::optional<std::vector<std::string>> StringList(const Entry* e, const char* what);
  std::optional<TextTemplate> Template(const Entry* e, const std::string& source, const char* what);

  std::vector<std::string> Targets(const Entry* e);
  std::optional<LatePolicy> Late(const Entry* e);
  void Audiences(const Entry* e);
  void AudienceFromCsv(Audience& a, const Entry& file);
  void AudienceInline(Audience& a, const Entry& members);
  void Campaign(const YAML::Node& n);
  void PostEntry(const YAML::Node& n, const std::string& campaign_id, const std::string& goal,
                 const std::optional<std::vector<std::string>>& campaign_targets,
                 const std::optional<LatePolicy>& campaign_late);
  bool Occurrences(Post& post, const Entry* at, const Entry* repeat, const TimeZone& zone);
  std::vector<MediaSpec> MediaList(const Entry* e);
  void CheckPost(const Post& post);
  void CheckTemplates(const Post& post, const Audience* audience);
  void CheckMedia(const Post& post, const std::string& platform,
                  const std::vector<MediaSpec>& media, const Audience* audience,
                  const PlatformLimits* limits);
  void CheckRenderedLimits(const Post& post, const std::string& platform, const SourcePos& pos,
                           const TextTemplate& tmpl, const char* what,
                           std::optional<std::int64_t> max_chars,
                           std::optional<std::int64_t> max_hashtags,
                           std::optional<std::int64_t> max_mentions, const Audience* audience);

  const std::string path_;
  const LoadContext& ctx_;
  Diagnostics& diags_;
  Calendar cal_;
  std::vector<std::string> calendar_targets_;
  bool calendar_targets_written_ = false;
  LatePolicy calendar_late_;
  std::optional<TimeZone> zone_;
  std::unordered_set<std::string> post_ids_;
  // Per audience: longest value and most '#'/'@' per variable, for bounds.
  std::map<std::string, std::unordered_map<std::string, TextStats>> audience_stats_;
  // Per audience: the variables every member has (all CSV columns), so the
  // missing-variable check only walks members for the others.
  std::map<std::string, std::unordered_set<std::string>> audience_shared_names_;
};

// yaml-cpp accepts a quoted scalar that runs to the end of the file; a
// marketer's missing closing quote should be an error at the opening quote.
void FileLoader::CheckQuotes(const YAML::Node& n, const std::string& text) {
  if (n.IsSequence()) {
    for (const YAML::Node& c : n) CheckQuotes(c, text);
  } else if (n.IsMap()) {
    for (const auto& kv : n) {
      CheckQuotes(kv.first, text);
      CheckQuotes(kv.second, text);
    }
  } else if (n.IsScalar()) {
    const YAML::Mark m = n.Mark();
    if (m.is_null() || m.pos < 0 || static_cast<std::size_t>(m.pos) >= text.size()) return;
    const char q = text[static_cast<std::size_t>(m.pos)];
    if (q != '"' && q != '\'') return;
    for (std::size_t i = static_cast<std::size_t>(m.pos) + 1; i < text.size(); ++i) {
      if (q == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == q) {
        if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
          continue;
        }
        return;
      }
    }
    Err(n, std::string("this quote (") + q + ") is never closed; add the closing " + q);
  }
}

bool FileLoader::CountNodes(const YAML::Node& n, std::size_t depth, std::size_t& count) {
  if (++count > ctx_.caps.max_yaml_nodes || depth > ctx_.caps.max_yaml_depth) return false;
  if (n.IsSequence()) {
    for (const YAML::Node& c : n) {
      if (!CountNodes(c, depth + 1, count)) return false;
    }
  } else if (n.IsMap()) {
    for (const auto& kv : n) {
      if (!CountNodes(kv.first, depth + 1, count) || !CountNodes(kv.second, depth + 1, count)) {
        return false;
      }
    }
  }
  return true;
}

std::vector<Entry> FileLoader::Mapping(const YAML::Node& n, const char* what) {
  std::vector<Entry> out;
  if (!n.IsMap()) {
    Err(n, std::string(what) + " must be a mapping of `key: value` lines");
    return out;
  }
  std::set<std::string> seen;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) {
      Err(kv.first, "a key must be a plain word");
      continue;
    }
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) {
      Err(kv.first, "key `" + key + "` appears twice; keep one");
      continue;
    }
    out.push_back({key, kv.first, kv.second});
  }
  return out;
}

void FileLoader::CheckKeys(const std::vector<Entry>& entries, std::vector<std::string> allowed,
                           const char* where) {
  for (const Entry& e : entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    Err(e.key_node, "unknown key `" + e.key + "` in " + where + Suggest(e.key, allowed));
  }
}

const Entry* FileLoader::Find(const std::vector<Entry>& entries, std::string_view key) {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::optional<std::string> FileLoader::Scalar(const Entry* e, const char* what) {
  if (e == nullptr) return std::nullopt;
  if (!e->value.IsScalar()) {
    Err(e->value.IsNull() ? e->key_node : e->value,
        std::string("`") + e->key + "` must be " + what);
    return std::nullopt;
  }
  return e->value.Scalar();
}

std::optional<std::vector<std::string>> FileLoader::StringList(const Entry* e, const char* what) {
  if (e == nullptr) return std::nullopt;
  std::vector<std::string> out;
  if (e->value.IsScalar()) {
    out.push_back(e->value.Scalar());
    return out;
  }
  if (!e->value.IsSequence()) {
    Err(e->value.IsNull() ? e->key_node : e->value,
        std::string("`") + e->key + "` must be a list of " + what);
    return std::nullopt;
  }
  for (const YAML::Node& item : e->value) {
    if (!item.IsScalar()) {
      Err(item, std::string("each entry of `") + e->key + "` must be " + what);
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<TextTemplate> FileLoader::Template(const Entry* e, const std::string& source,
                                                 const char* what) {
  Result<TextTemplate> t = TextTemplate::Parse(source);
  if (!t.ok()) {
    Err(e->value, std::string("in ") + what + ": " + t.error().message());
    return std::nullopt;
  }
  return std::move(t).value();
}

std::vector<std::string> FileLoader::Targets(const Entry* e) {
  std::optional<std::vector<std::string>> list = StringList(e, "accounts like `facebook/my-shop`");
  if (!list) return {};
  const YAML::Node& at = e->value;
  if (list->empty())
    Err(at, "`targets` is empty; name at least one account like `facebook/my-shop`");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string& t = (*list)[i];
    const YAML::Node item = at.IsSequence() ? at[i] : at;
    const std::size_t slash = t.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == t.size()) {
      Err(item, "target `" + t + "` must be written `platform/account-name`");
      continue;
    }
    if (ctx_.accounts_known &&
        std::find(ctx_.accounts.begin(), ctx_.accounts.end(), t) == ctx_.accounts.end()) {
      Err(item, "unknown account `" + t + "`; accounts are defined in the daemon's configuration" +
                    Suggest(t, ctx_.accounts));
      continue;
    }
    if (std::find(out.begin(), out.end(), t) != out.end()) {
      Warn(item, "target `" + t + "` is listed twice");
      continue;
    }
    out.push_back(t);
  }
  return out;
}

std::optional<LatePolicy> FileLoader::Late(const Entry* e) {
  std::optional<std::string> s = Scalar(e, "`skip` or `publish within 2h`");
  if (!s) return std::nullopt;
  Result<LatePolicy> p = ParseLatePolicy(*s);
  if (!p.ok()) {
    Err(e->value, p.error().message());
    return std::nullopt;
  }
  return *p;
}

void FileLoader::Audiences(const Entry* e) {
  if (e == nullptr) return;
  for (const Entry& a : Mapping(e->value, "`audiences`")) {
    if (!IsIdentifier(a.key)) {
      Err(a.key_node, "audience name `" + a.key + "` may use letters, digits, `-`, `_`, `.`");
      continue;
    }
    Audience audience;
    audience.id = a.key;
    audience.pos = Pos(a.key_node);
    const std::vector<Entry> fields = Mapping(a.value, "an audience");
    CheckKeys(fields, {std::begin(kAudienceKeys), std::end(kAudienceKeys)}, "an audience");
    const Entry* file = Find(fields, "file");
    const Entry* members = Find(fields, "members");
    if ((file == nullptr) == (members == nullptr)) {
      Err(a.key_node, "audience `" + a.key + "` needs either `file:` (a CSV) or `members:`");
    } else if (file != nullptr) {
      AudienceFromCsv(audience, *file);
    } else {
      AudienceInline(audience, *members);
    }
    auto& stats = audience_stats_[audience.id];
    std::unordered_map<std::string, std::size_t> seen_in;
    for (const Member& m : audience.members) {
      for (const auto& [name, value] : m.vars) {
        ++seen_in[name];
        const TextStats s = StatsOf(value);
        TextStats& t = stats[name];
        t.cp = std::max(t.cp, s.cp);
        t.hashes = std::max(t.hashes, s.hashes);
        t.ats = std::max(t.ats, s.ats);
      }
    }
    auto& everyone = audience_shared_names_[audience.id];
    for (const auto& [name, n] : seen_in) {
      if (n == audience.members.size()) everyone.insert(name);
    }
    cal_.audiences[audience.id] = std::move(audience);
  }
}

void FileLoader::AudienceFromCsv(Audience& a, const Entry& file) {
  std::optional<std::string> rel = Scalar(&file, "a CSV file path");
  if (!rel) return;
  const fs::path csv = (fs::path(cal_.dir) / *rel).lexically_normal();
  CsvLimits limits;
  limits.max_bytes = ctx_.caps.max_csv_bytes;
  limits.max_rows = ctx_.caps.max_csv_rows;
  Result<CsvTable> table = ReadCsv(csv.string(), limits);
  if (!table.ok()) {
    Err(file.value, "audience file `" + *rel + "` " + table.error().message());
    return;
  }
  const std::vector<std::string>& header = table->header;
  const auto key_col = std::find(header.begin(), header.end(), "key");
  if (key_col == header.end()) {
    diags_.Error({csv.string(), 1, 1},
                 "the audience's first row needs a `key` column (one unique value per member)");
    return;
  }
  const std::size_t key_index = static_cast<std::size_t>(key_col - header.begin());
  std::unordered_set<std::string> keys;
  for (CsvRow& row : table->rows) {
    if (row.cells.size() != header.size()) {
      diags_.Error({csv.string(), row.line, 1},
                   "row " + std::to_string(row.line) + " has " + std::to_string(row.cells.size()) +
                       " columns but the header has " + std::to_string(header.size()));
      continue;
    }
    Member m;
    m.key = row.cells[key_index];
    if (m.key.empty()) {
      diags_.Error({csv.string(), row.line, 1},
                   "row " + std::to_string(row.line) + " has an empty `key`");
      continue;
    }
    if (!keys.insert(m.key).second) {
      diags_.Error({csv.string(), row.line, 1},
                   "row " + std::to_string(row.line) + ": key `" + m.key + "` is used twice");
      continue;
    }
    for (std::size_t i = 0; i < header.size(); ++i) {
      m.vars.emplace_back(header[i], std::move(row.cells[i]));
    }
    a.members.push_back(std::move(m));
  }
}

void FileLoader::AudienceInline(Audience& a, const Entry& members) {
  if (!members.value.IsSequence()) {
    Err(members.value, "`members` must be a list of members, each with a `key`");
    return;
  }
  std::unordered_set<std::string> keys;
  for (const YAML::Node& item : members.value) {
    const std::vector<Entry> fields = Mapping(item, "a member");
    Member m;
    bool good = true;
    for (const Entry& f : fields) {
      if (!f.value.IsScalar()) {
        Err(f.value, "member variable `" + f.key + "` must be a single value");
        good = false;
        continue;
      }
      if (f.key == "key") m.key = f.value.Scalar();
      m.vars.emplace_back(f.key, f.value.Scalar());
    }
    if (!item.IsMap() || !good) continue;
    if (m.key.empty()) {
      Err(item, "this member needs a `key` (a unique name for the member)");
      continue;
    }
    if (!keys.insert(m.key).second) {
      Err(item, "member key `" + m.key + "` is used twice in audience `" + a.id + "`");
      continue;
    }
    a.members.push_back(std::move(m));
  }
}

std::vector<MediaSpec> FileLoader::MediaList(const Entry* e) {
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
    m.pos = Pos(item);
    if (item.IsScalar()) {
      m.path = item.Scalar();
    } else if (item.IsMap()) {
      const std::vector<Entry> fields = Mapping(item, "a medium");
      CheckKeys(fields, {std::begin(kMediaKeys), std::end(kMediaKeys)}, "a medium");
      const Entry* p = Find(fields, "path");
      if (p == nullptr) {
        Err(item, "a medium needs a `path`");
        continue;
      }
      m.path = Scalar(p, "a file path").value_or("");
      m.alt = Scalar(Find(fields, "alt"), "text").value_or("");
      m.cover = Scalar(Find(fields, "cover"), "an image path").value_or("");
      m.title = Scalar(Find(fields, "title"), "text").value_or("");
    } else {
      Err(item, "a medium is a path, or a mapping with `path` and options");
      continue;
    }
    for (const std::string* s : {&m.path, &m.alt, &m.cover, &m.title}) {
      Result<TextTemplate> t = TextTemplate::Parse(*s);
      if (!t.ok()) Err(item, "in media: " + t.error().message());
    }
    out.push_back(std::move(m));
  }
  return out;
}

bool FileLoader::Occurrences(Post& post, const Entry* at, const Entry* repeat,
                             const TimeZone& zone) {
  std::vector<LocalSeconds> locals;
  const Entry* where = at != nullptr ? at : repeat;
  if (at != nullptr) {
    std::optional<std::string> s = Scalar(at, "a date and time like `2025-07-04 10:00`");
    if (!s) return false;
    Result<ParsedLocalTime> t = ParseLocalTime(*s, false);
    if (!t.ok()) {
      Err(at->value, t.error().message());
      return false;
    }
    locals.push_back(t->time);
  } else {
    const std::vector<Entry> fields = Mapping(repeat->value, "`repeat`");
    CheckKeys(fields, {std::begin(kRepeatKeys), std::end(kRepeatKeys)}, "`repeat`");
    RecurrenceSpec spec;
    bool good = true;
    const Entry* rule = Find(fields, "rule");
    const Entry* start = Find(fields, "start");
    if (rule == nullptr || start == nullptr) {
      Err(repeat->key_node, "`repeat` needs a `rule` (like `FREQ=WEEKLY;BYDAY=TU`) and a `start`");
      return false;
    }
    if (std::optional<std::string> r = Scalar(rule, "an RRULE like `FREQ=WEEKLY;BYDAY=TU`")) {
      spec.rule = *r;
      bool has_end = false;
      Status st = CheckRule(spec.rule, has_end);
      if (!st.ok()) {
        Err(rule->value, st.error().message());
        good = false;
      }
    } else {
      good = false;
    }
    auto time_of = [&](const Entry* e, const YAML::Node& n,
                       bool date_only) -> std::optional<LocalSeconds> {
      if (!n.IsScalar()) {
        Err(n, std::string("`") + e->key + "` must be a date and time like `2025-07-04 10:00`");
        return std::nullopt;
      }
      Result<ParsedLocalTime> t = ParseLocalTime(n.Scalar(), date_only);
      if (!t.ok()) {
        Err(n, t.error().message());
        return std::nullopt;
      }
      // A date-only `until` includes that whole day.
      if (t->date_only) return t->time + std::chrono::hours(24) - std::chrono::seconds(1);
      return t->time;
    };
    if (auto t = time_of(start, start->value, false)) {
      spec.start = *t;
    } else {
      good = false;
    }
    if (const Entry* u = Find(fields, "until")) {
      if (auto t = time_of(u, u->value, true)) {
        spec.until = *t;
      } else {
        good = false;
      }
    }
    if (const Entry* c = Find(fields, "count")) {
      std::optional<std::string> s = Scalar(c, "a whole number");
      char* end = nullptr;
      const long n = s ? std::strtol(s->c_str(), &end, 10) : 0;
      if (!s || end == s->c_str() || *end != '\0' || n < 1 || n > 1'000'000) {
        if (s) Err(c->value, "`count` must be a whole number from 1 to 1000000");
        good = false;
      } else {
        spec.count = static_cast<int>(n);
      }
    }
    if (spec.until && spec.count) {
      Err(repeat->key_node, "use either `until` or `count`, not both");
      good = false;
    }
    if (const Entry* ex = Find(fields, "except")) {
      std::vector<YAML::Node> items;
      if (ex->value.IsSequence()) {
        for (const YAML::Node& i : ex->value) items.push_back(i);
      } else {
        items.push_back(ex->value);
      }
      for (const YAML::Node& i : items) {
        if (auto t = time_of(ex, i, false)) {
          spec.except.push_back(*t);
        } else {
          good = false;
        }
      }
    }
    if (!good) return false;
    Result<std::vector<LocalSeconds>> occ =
        ExpandRecurrence(spec, ctx_.caps.max_occurrences_per_post);
    if (!occ.ok()) {
      Err(repeat->key_node, occ.error().message());
      return false;
    }
    locals = std::move(occ).value();
    post.rrule = spec.rule;
  }
  for (const LocalSeconds& l : locals) {
    const ResolvedTime r = zone.Resolve(l);
    if (r.kind != LocalKind::kUnique) {
      std::string written = FormatLocal(l, 0).substr(0, 16);
      written[10] = ' ';
      const std::string resolved =
          FormatLocal(LocalSeconds{r.utc.time_since_epoch() + std::chrono::seconds(r.offset_s)},
                      r.offset_s) +
          " = " + FormatUtc(r.utc);
      if (r.kind == LocalKind::kGap) {
        Warn(where->value,
             "post `" + post.id + "`: " + written + " does not exist in " + zone.name() +
                 " (clocks spring forward); shifted forward by the gap to " + resolved);
      } else {
        Warn(where->value, "post `" + post.id + "`: " + written + " happens twice in " +
                               zone.name() +
                               " (clocks fall back); the earlier one is used: " + resolved);
      }
    }
    post.occurrences.push_back({l, r.utc, r.offset_s});
  }
  std::sort(post.occurrences.begin(), post.occurrences.end(),
            [](const Occurrence& a, const Occurrence& b) { return a.utc < b.utc; });
  return true;
}

void FileLoader::Campaign(const YAML::Node& n) {
  const std::vector<Entry> fields = Mapping(n, "a campaign");
  if (!n.IsMap()) return;
  CheckKeys(fields, {std::begin(kCampaignKeys), std::end(kCampaignKeys)}, "a campaign");
  std::string id;
  if (const Entry* e = Find(fields, "id")) {
    id = Scalar(e, "a name").value_or("");
    if (!id.empty() && !IsIdentifier(id)) {
      Err(e->value, "campaign id `" + id + "` may use letters, digits, `-`, `_`, `.`");
    }
  } else {
    Err(n, "this campaign needs an `id`");
  }
  std::string goal;
  if (const Entry* e = Find(fields, "goal")) {
    goal = Scalar(e, "a word").value_or("");
    if (!goal.empty() &&
        std::find(std::begin(kGoals), std::end(kGoals), goal) == std::end(kGoals)) {
      const bool word = std::all_of(goal.begin(), goal.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      });
      if (!word) {
        Err(e->value, "goal `" + goal +
                          "` must be one lowercase word: retention, acquisition, awareness, "
                          "or your own");
      } else {
        const std::string close = Suggest(goal, {std::begin(kGoals), std::end(kGoals)});
        if (!close.empty()) Warn(e->value, "custom goal `" + goal + "`" + close);
      }
    }
  } else {
    Err(n, "campaign `" + id +
               "` needs a `goal`: retention, acquisition, awareness, or your own word");
  }
  std::optional<std::vector<std::string>> targets;
  if (const Entry* e = Find(fields, "targets")) targets = Targets(e);
  std::optional<LatePolicy> late;
  if (const Entry* e = Find(fields, "late")) late = Late(e);
  const Entry* posts = Find(fields, "posts");
  if (posts == nullptr) {
    Warn(n, "campaign `" + id + "` has no `posts`");
    return;
  }
  if (!posts->value.IsSequence()) {
    Err(posts->value, "`posts` must be a list; start each post with `- id: ...`");
    return;
  }
  for (const YAML::Node& p : posts->value) PostEntry(p, id, goal, targets, late);
}

void FileLoader::PostEntry(const YAML::Node& n, const std::string& campaign_id,
                           const std::string& goal,
                           const std::optional<std::vector<std::string>>& campaign_targets,
                           const std::optional<LatePolicy>& campaign_late) {
  const std::vector<Entry> fields = Mapping(n, "a post");
  if (!n.IsMap()) return;
  Post post;
  post.pos = Pos(n);
  post.campaign_id = campaign_id;
  post.goal = goal;
  const int errors_before = diags_.error_count();

  if (const Entry* e = Find(fields, "id")) {
    post.id = Scalar(e, "a name").value_or("");
    if (!post.id.empty() && !IsIdentifier(post.id)) {
      Err(e->value, "post id `" + post.id + "` may use letters, digits, `-`, `_`, `.`");
    } else if (!post.id.empty() && !post_ids_.insert(post.id).second) {
      Err(e->value, "post id `" + post.id + "` is used twice in this calendar");
    }
  } else {
    Err(n, "this post needs an `id` (a name unique in the calendar)");
  }

  post.targets = campaign_targets ? *campaign_targets : calendar_targets_;
  bool targets_written = campaign_targets.has_value() || calendar_targets_written_;
  if (const Entry* e = Find(fields, "targets")) {
    post.targets = Targets(e);
    targets_written = true;
  }
  post.late = campaign_late.value_or(calendar_late_);
  if (const Entry* e = Find(fields, "late")) {
    if (auto l = Late(e)) post.late = *l;
  }

  // Keys that are not post keys may be per-platform settings.
  std::set<std::string> platforms;
  for (const std::string& t : post.targets) platforms.insert(t.substr(0, t.find('/')));
  std::vector<std::string> allowed(std::begin(kPostKeys), std::end(kPostKeys));
  std::vector<std::string> suggestions = allowed;
  suggestions.insert(suggestions.end(), std::begin(kWellKnownPlatforms),
                     std::end(kWellKnownPlatforms));
  for (const auto& [name, limits] : ctx_.limits) suggestions.push_back(name);
  for (const Entry& e : fields) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    const bool known_platform =
        platforms.count(e.key) > 0 || ctx_.limits.count(e.key) > 0 ||
        std::find(std::begin(kWellKnownPlatforms), std::end(kWellKnownPlatforms), e.key) !=
            std::end(kWellKnownPlatforms);
    if (!known_platform) {
      Err(e.key_node, "unknown key `" + e.key + "` in a post" + Suggest(e.key, suggestions));
      continue;
    }
    if (platforms.count(e.key) == 0) {
      Warn(e.key_node, "`" + e.key + "` settings are unused: post `" + post.id + "` has no " +
                           e.key + " target");
    }
    PlatformVariant v;
    v.pos = Pos(e.key_node);
    const std::vector<Entry> vf = Mapping(e.value, "platform settings");
    CheckKeys(vf, {std::begin(kVariantKeys), std::end(kVariantKeys)},
              ("`" + e.key + "` settings").c_str());
    auto text_of = [&](const char* key) -> std::optional<std::string> {
      const Entry* f = Find(vf, key);
      std::optional<std::string> s = Scalar(f, "text");
      if (s) Template(f, *s, key);
      return s;
    };
    v.text = text_of("text");
    v.link = text_of("link");
    v.title = text_of("title");
    v.description = text_of("description");
    v.privacy = text_of("privacy");
    if (v.privacy && *v.privacy != "public" && *v.privacy != "unlisted" &&
        *v.privacy != "private") {
      Err(Find(vf, "privacy")->value, "`privacy` must be public, unlisted or private");
    }
    if (const Entry* f = Find(vf, "tags")) {
      v.tags = StringList(f, "words");
      if (v.tags) {
        for (const std::string& tag : *v.tags) Template(f, tag, "tags");
      }
    }
    if (const Entry* f = Find(vf, "media")) v.media = MediaList(f);
    if (const Entry* f = Find(vf, "kind")) {
      v.kind = Scalar(f, "a post kind");
      v.kind_pos = Pos(f->value);
    }
    post.variants[e.key] = std::move(v);
  }

  if (const Entry* e = Find(fields, "text")) {
    post.text_pos = Pos(e->value);
    post.text = Scalar(e, "text").value_or("");
    Template(e, post.text, "text");
  }
  if (const Entry* e = Find(fields, "link")) {
    post.link = Scalar(e, "a web address").value_or("");
    Template(e, post.link, "link");
  }
  post.media = MediaList(Find(fields, "media"));
  if (const Entry* e = Find(fields, "for_each")) {
    post.for_each = Scalar(e, "an audience name").value_or("");
    if (!post.for_each.empty() && cal_.audiences.count(post.for_each) == 0) {
      std::vector<std::string> names;
      for (const auto& [name, a] : cal_.audiences) names.push_back(name);
      Err(e->value, "unknown audience `" + post.for_each + "`" + Suggest(post.for_each, names));
    }
  }

  post.time_zone = cal_.time_zone;
  std::optional<TimeZone> zone = zone_;
  if (const Entry* e = Find(fields, "time_zone")) {
    if (std::optional<std::string> z = Scalar(e, "an IANA time zone like `Europe/Paris`")) {
      Result<TimeZone> tz = TimeZone::Find(*z);
      if (tz.ok()) {
        zone = *tz;
        post.time_zone = *z;
      } else {
        Err(e->value, tz.error().message());
        zone.reset();
      }
    }
  }
  const Entry* at = Find(fields, "at");
  const Entry* repeat = Find(fields, "repeat");
  if (at != nullptr && repeat != nullptr) {
    Err(repeat->key_node, "a post has either `at` (once) or `repeat` (recurring), not both");
  } else if (at == nullptr && repeat == nullptr) {
    Err(n, "post `" + post.id + "` needs a time: `at: 2025-07-04 10:00` or a `repeat:` block");
  } else if (zone) {
    Occurrences(post, at, repeat, *zone);
  }
  if (post.targets.empty() && !targets_written) {
    Err(n, "post `" + post.id +
               "` has no targets; add `targets:` to the post, its campaign or the calendar");
  }
  if (diags_.error_count() == errors_before) CheckPost(post);
  cal_.posts.push_back(std::move(post));
}

// Checks that need the whole post: texts per platform, templates against the
// audience, media on disk, and the platforms' limits.
void FileLoader::CheckPost(const Post& post) {
  const Audience* audience = nullptr;
  if (!post.for_each.empty()) audience = &cal_.audiences.at(post.for_each);
  CheckTemplates(post, audience);
  std::set<std::string> done;
  for (const std::string& target : post.targets) {
    const std::string platform = target.substr(0, target.find('/'));
    if (!done.insert(platform).second) continue;
    const auto vit = post.variants.find(platform);
    const PlatformVariant* v = vit == post.variants.end() ? nullptr : &vit->second;
    const auto lit = ctx_.limits.find(platform);
    const PlatformLimits* limits = lit == ctx_.limits.end() ? nullptr : &lit->second;
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
    } else if (text.empty() && !(v != nullptr && v->title)) {
      diags_.Error(post.pos, "post `" + post.id + "` has no text for " + platform +
                                 "; add `text:` or `" + platform + ": {text: ...}`");
    }
    const std::vector<MediaSpec>& media = v != nullptr && v->media ? *v->media : post.media;
    CheckMedia(post, platform, media, audience, limits);
    if (limits == nullptr) continue;
    if (Result<TextTemplate> t = TextTemplate::Parse(text); wants_text && t.ok()) {
      CheckRenderedLimits(post, platform, text_pos, *t, "text", limits->text_max,
                          limits->hashtags_max, limits->mentions_max, audience);
    }
    const std::string& link = v != nullptr && v->link ? *v->link : post.link;
    if (!link.empty() && limits->link_allowed && !*limits->link_allowed) {
      diags_.Error(text_pos, "post `" + post.id + "`: " + platform +
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

void FileLoader::CheckTemplates(const Post& post, const Audience* audience) {
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
  for (const auto& [source, pos] : sources) {
    Result<TextTemplate> t = TextTemplate::Parse(source);
    if (!t.ok()) continue;  // reported where it was read
    for (const std::string& full : t->required_names()) {
      const std::string name = full.substr(0, full.find('.'));
      if (IsBuiltinName(name)) continue;
      if (audience == nullptr) {
        diags_.Error(pos, "post `" + post.id + "` uses `{{" + full +
                              "}}` but has no `for_each` audience to fill it");
        continue;
      }
      if (audience_shared_names_[audience->id].count(name) > 0) continue;
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
                              " of audience `" + audience->id + "`");
      }
    }
  }
}

void FileLoader::CheckRenderedLimits(const Post& post, const std::string& platform,
                                     const SourcePos& pos, const TextTemplate& tmpl,
                                     const char* what, std::optional<std::int64_t> max_chars,
                                     std::optional<std::int64_t> max_hashtags,
                                     std::optional<std::int64_t> max_mentions,
                                     const Audience* audience) {
  if (!max_chars && !max_hashtags && !max_mentions) return;
  // Upper bound from the literal text and the longest value of each name;
  // render member by member only when the bound could exceed a limit.
  TextStats bound = StatsOf(tmpl.literal_text());
  const auto* member_stats = audience != nullptr ? &audience_stats_[audience->id] : nullptr;
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
    const TemplateData occ_layer = OccurrenceLayer(occ.local, platform);
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

void FileLoader::CheckMedia(const Post& post, const std::string& platform,
                            const std::vector<MediaSpec>& media, const Audience* audience,
                            const PlatformLimits* limits) {
  if (limits != nullptr) {
    if (limits->media_required && *limits->media_required && media.empty()) {
      diags_.Error(post.pos, "post `" + post.id + "`: " + platform +
                                 " needs at least one image or video; add `media:`");
    }
    if (limits->media_max_count &&
        static_cast<std::int64_t>(media.size()) > *limits->media_max_count) {
      diags_.Error(media.front().pos, "post `" + post.id + "`: " + platform + " takes at most " +
                                          std::to_string(*limits->media_max_count) +
                                          " media, this post has " + std::to_string(media.size()));
    }
  }
  const TemplateData post_layer = PostLayer(cal_, post);
  const TemplateData occ_layer = OccurrenceLayer(
      post.occurrences.empty() ? LocalSeconds{} : post.occurrences.front().local, platform);
  auto check_one = [&](const MediaSpec& spec, const std::string& rel, const std::string& who,
                       bool is_cover) {
    auto it = cal_.media.find(rel);
    if (it == cal_.media.end()) {
      Result<MediaInfo> info = ProbeMedia(cal_.dir, rel);
      if (!info.ok()) {
        diags_.Error(spec.pos, info.error().message() + who);
        cal_.media.emplace(rel, MediaInfo{});  // report once per file
        return;
      }
      it = cal_.media.emplace(rel, std::move(info).value()).first;
    }
    const MediaInfo& info = it->second;
    if (info.path.empty()) return;
    if (is_cover) {
      if (info.kind != MediaKind::kImage) {
        diags_.Error(spec.pos, "cover `" + rel + "` is a video; a cover must be an image" + who);
      }
      return;
    }
    if (limits == nullptr || !limits->media_rules) return;
    const std::optional<MediaKindLimits>& k =
        info.kind == MediaKind::kImage ? limits->image : limits->video;
    if (!k) {
      diags_.Error(spec.pos, "post `" + post.id + "`: " + platform + " does not accept " +
                                 ToString(info.kind) + "s (`" + rel + "`)" + who);
      return;
    }
    if (!k->mime_types.empty() && std::find(k->mime_types.begin(), k->mime_types.end(),
                                            info.mime_type) == k->mime_types.end()) {
      std::string accepted;
      for (const std::string& m : k->mime_types) accepted += (accepted.empty() ? "" : ", ") + m;
      diags_.Error(spec.pos, "post `" + post.id + "`: `" + rel + "` is " + info.mime_type + "; " +
                                 platform + " accepts " + accepted + who);
    }
    if (k->max_bytes && info.size_bytes > *k->max_bytes) {
      diags_.Error(spec.pos, "post `" + post.id + "`: `" + rel + "` is " +
                                 std::to_string(info.size_bytes) + " bytes; " + platform +
                                 " accepts up to " + std::to_string(*k->max_bytes) + who);
    }
    if (k->max_duration_s && info.duration_s &&
        *info.duration_s > static_cast<double>(*k->max_duration_s)) {
      diags_.Error(spec.pos, "post `" + post.id + "`: `" + rel + "` lasts " +
                                 std::to_string(static_cast<std::int64_t>(*info.duration_s)) +
                                 " s; " + platform + " accepts up to " +
                                 std::to_string(*k->max_duration_s) + " s" + who);
    }
    CheckMediaSpecs(*k, info, rel, platform, who, [&](const std::string& sentence) {
      diags_.Error(spec.pos, "post `" + post.id + "`: " + sentence);
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
          occ_layers.push_back(OccurrenceLayer(o.local, platform));
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

std::optional<Calendar> FileLoader::Run() {
  const int errors_before = diags_.error_count();
  std::error_code ec;
  const fs::path abs = fs::absolute(path_, ec);
  cal_.file = abs.lexically_normal().string();
  cal_.dir = abs.parent_path().lexically_normal().string();
  const auto size = fs::file_size(path_, ec);
  if (ec) {
    diags_.Error(FilePos(), "cannot read this file: " + ec.message());
    return std::nullopt;
  }
  if (size > ctx_.caps.max_file_bytes) {
    diags_.Error(FilePos(), "the file is " + std::to_string(size >> 20) +
                                " MB; calendars may be at most " +
                                std::to_string(ctx_.caps.max_file_bytes >> 20) +
                                " MB (split it into several files)");
    return std::nullopt;
  }
  std::ifstream in(path_, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string source = buffer.str();
  YAML::Node root;
  try {
    root = YAML::Load(source);
  } catch (const YAML::Exception& e) {
    diags_.Error(
        {path_, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1},
        "this is not valid YAML: " + e.msg + " (check indentation, tabs and closing quotes)");
    return std::nullopt;
  }
  std::size_t count = 0;
  if (!CountNodes(root, 0, count)) {
    diags_.Error(FilePos(),
                 "the file expands to more than " + std::to_string(ctx_.caps.max_yaml_nodes) +
                     " values or nests deeper than " + std::to_string(ctx_.caps.max_yaml_depth) +
                     " levels (too many `*alias` references?); refusing it");
    return std::nullopt;
  }
  CheckQuotes(root, source);
  if (root.IsNull()) {
    diags_.Error(FilePos(), "the file is empty; a calendar starts with `calendar: its-name`");
    return std::nullopt;
  }
  const std::vector<Entry> top = Mapping(root, "a calendar");
  if (!root.IsMap()) return std::nullopt;
  CheckKeys(top, {std::begin(kCalendarKeys), std::end(kCalendarKeys)}, "the calendar");
  if (const Entry* e = Find(top, "calendar")) {
    cal_.id = Scalar(e, "a name").value_or("");
    if (!IsIdentifier(cal_.id)) {
      Err(e->value, "calendar name `" + cal_.id + "` may use letters, digits, `-`, `_`, `.`");
    }
  } else {
    Err(root, "the calendar needs a name: `calendar: my-shop-q3`");
  }
  if (const Entry* e = Find(top, "time_zone")) {
    if (std::optional<std::string> z = Scalar(e, "an IANA time zone like `America/Chicago`")) {
      Result<TimeZone> tz = TimeZone::Find(*z);
      if (tz.ok()) {
        zone_ = *tz;
        cal_.time_zone = *z;
      } else {
        Err(e->value, tz.error().message());
      }
    }
  } else {
    Err(root, "the calendar needs a `time_zone`, an IANA name like `America/Chicago`");
  }
  if (const Entry* e = Find(top, "targets")) {
    calendar_targets_ = Targets(e);
    calendar_targets_written_ = true;
  }
  if (const Entry* e = Find(top, "late")) {
    if (auto l = Late(e)) calendar_late_ = *l;
  }
  Audiences(Find(top, "audiences"));
  if (const Entry* e = Find(top, "campaigns")) {
    if (!e->value.IsSequence()) {
      Err(e->value, "`campaigns` must be a list; start each campaign with `- id: ...`");
    } else {
      for (const YAML::Node& c : e->value) Campaign(c);
    }
  } else {
    Warn(root, "the calendar has no `campaigns`, so nothing will be posted");
  }
  if (diags_.error_count() != errors_before) return std::nullopt;
  return std::move(cal_);
}

std::vector<std::string> CalendarFiles(const std::vector<std::string>& paths, Diagnostics& diags,
                                       std::size_t max_files) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& f = it->path();
        std::error_code file_ec;  // one unreadable entry does not end the listing
        if ((f.extension() == ".yaml" || f.extension() == ".yml") &&
            fs::is_regular_file(f, file_ec)) {
          found.push_back(f.string());
        }
        if (found.size() > max_files) break;
      }
      if (ec) {
        // A partial listing must not read as calendars removed.
        diags.PathError(p, "cannot list this folder: " + ec.message());
      }
      std::sort(found.begin(), found.end());
      if (found.empty() && !ec) {
        diags.PathWarning(p, "no calendar files (*.yaml) in this folder");
      }
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      diags.PathError(p, "no such file or folder");
    }
    if (files.size() > max_files) {
      diags.PathError(p, "more than " + std::to_string(max_files) + " calendar files");
      files.resize(max_files);
      break;
    }
  }
  return files;
}

// Asks the connectors (context.check_job) about each post's first occurrence,
// rendered for every target and member. False when one objected.
bool CheckWithConnectors(const Calendar& cal, const LoadContext& context, Diagnostics& diags) {
  CalendarSet one;
  one.calendars.push_back(cal);
  std::map<std::string, SourcePos> post_pos;
  for (Post& post : one.calendars.front().posts) {
    if (post.occurrences.size() > 1) post.occurrences.resize(1);
    post_pos[post.id] = post.pos;
  }
  // A connector judges a post's form (media, fields) more than each member's
  // words, which the limits above already checked for everyone: past this many
  // members of one post on one account, the rest are not asked about (a
  // 100,000-member audience would otherwise cost seconds a load).
  constexpr std::size_t kMembersAsked = 1000;
  std::map<std::pair<std::string, std::string>, std::size_t> asked;
  bool clean = true;
  std::set<std::string> said;  // one line per problem, not per member
  for (const Job& job : Expand(one, TimePoint::min(), TimePoint::max())) {
    if (++asked[{job.post_id, job.account}] > kMembersAsked) continue;
    for (const JobProblem& p : context.check_job(job)) {
      std::string line = "post `" + job.post_id + "`: " + job.account + ": " + p.message;
      if (!p.field.empty()) line += " (" + p.field + ")";
      if (!said.insert(line).second) continue;
      diags.Error(post_pos[job.post_id], line);
      clean = false;
    }
  }
  return clean;
}

}  // namespace

LoadResult Load(const std::vector<std::string>& paths, const LoadContext& context) {
  Diagnostics diags;
  LoadResult result;
  try {
    if (!context.accounts_known) {
      diags.LoadWarning("no daemon configuration given: account names are not checked");
    }
    std::map<std::string, std::string> ids;  // calendar id -> file
    std::size_t jobs = 0;
    for (const std::string& file : CalendarFiles(paths, diags, context.caps.max_files)) {
      FileLoader loader(file, context, diags);
      std::optional<Calendar> cal = loader.Run();
      if (!cal) continue;
      auto [it, fresh] = ids.emplace(cal->id, file);
      if (!fresh) {
        diags.Error({file, 0, 0},
                    "calendar name `" + cal->id + "` is already used by " + it->second);
        continue;
      }
      if (context.check_job && !CheckWithConnectors(*cal, context, diags)) continue;
      for (const Post& p : cal->posts) {
        std::size_t members = 1;
        if (!p.for_each.empty()) members = cal->audiences.at(p.for_each).members.size();
        jobs += p.occurrences.size() * members * p.targets.size();
      }
      result.calendars.calendars.push_back(std::move(*cal));
    }
    if (jobs > context.caps.max_jobs) {
      diags.LoadError("the calendars make " + std::to_string(jobs) +
                      " posts in all; the limit is " + std::to_string(context.caps.max_jobs));
      result.calendars.calendars.clear();
    }
  } catch (const std::exception& e) {
    diags.LoadError(std::string("internal error while loading: ") + e.what());
  }
  result.diagnostics = diags.Take();
  return result;
}

}  // namespace herald::calendar
