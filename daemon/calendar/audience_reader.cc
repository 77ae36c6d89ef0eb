#include "calendar/audience_reader.h"

#include <algorithm>
#include <filesystem>

#include "calendar/csv_reader.h"

namespace herald::calendar {

namespace {

namespace fs = std::filesystem;

constexpr const char* kAudienceKeys[] = {"file", "members", "note"};

void AudienceFromCsv(YamlReader& yaml, Audience& a, AudienceBounds& bounds, const Entry& file,
                     const std::string& dir, const LoadCaps& caps) {
  std::optional<std::string> rel = yaml.Scalar(&file, "a CSV file path");
  if (!rel) return;
  // Said at the calendar's `file:`, not inside a file the calendar may not name.
  if (fs::path(*rel).is_absolute()) {
    yaml.Err(file.value, "audience file `" + *rel +
                             "` must be relative to the calendar's folder, not absolute");
    return;
  }
  const fs::path csv = (fs::path(dir) / *rel).lexically_normal();
  const fs::path inside = csv.lexically_relative(fs::path(dir).lexically_normal());
  if (inside.empty() || *inside.begin() == "..") {
    yaml.Err(file.value, "audience file `" + *rel +
                             "` leads outside the calendar's folder; keep it next to the calendar");
    return;
  }
  CsvLimits limits;
  limits.max_bytes = caps.max_csv_bytes;
  limits.max_rows = caps.max_csv_rows;
  Result<CsvTable> table = ReadCsv(dir, *rel, limits);
  if (!table.ok()) {
    yaml.Err(file.value, "audience file `" + *rel + "` " + table.error().message());
    return;
  }
  for (const CsvProblem& p : table->problems) {
    yaml.diags().Error({csv.string(), p.line, p.col}, p.message);
  }
  const std::vector<std::string>& header = table->header;
  bounds.csv_columns.insert(header.begin(), header.end());
  const auto key_col = std::find(header.begin(), header.end(), "key");
  if (key_col == header.end()) {
    yaml.diags().Error(
        {csv.string(), 1, 1},
        "the audience's first row needs a `key` column (one unique value per member)");
    return;
  }
  const std::size_t key_index = static_cast<std::size_t>(key_col - header.begin());
  std::unordered_set<std::string> keys;
  for (CsvRow& row : table->rows) {
    if (row.cells.size() != header.size()) {
      yaml.diags().Error({csv.string(), row.line, 1}, "row " + std::to_string(row.line) + " has " +
                                                          std::to_string(row.cells.size()) +
                                                          " columns but the header has " +
                                                          std::to_string(header.size()));
      continue;
    }
    Member m;
    m.key = row.cells[key_index];
    if (m.key.empty()) {
      yaml.diags().Error({csv.string(), row.line, 1},
                         "row " + std::to_string(row.line) + " has an empty `key`");
      continue;
    }
    if (!keys.insert(m.key).second) {
      yaml.diags().Error({csv.string(), row.line, 1},
                         "row " + std::to_string(row.line) + ": key `" + m.key + "` is used twice");
      continue;
    }
    // An empty cell counts as absent: a section over it shows nothing, and a
    // variable outside any section is missing for this member.
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (!row.cells[i].empty()) m.vars.emplace_back(header[i], std::move(row.cells[i]));
    }
    a.members.push_back(std::move(m));
  }
}

void AudienceInline(YamlReader& yaml, Audience& a, const Entry& members) {
  if (!members.value.IsSequence()) {
    yaml.Err(members.value, "`members` must be a list of members, each with a `key`");
    return;
  }
  std::unordered_set<std::string> keys;
  for (const YAML::Node& item : members.value) {
    const std::vector<Entry> fields = yaml.Mapping(item, "a member");
    Member m;
    bool good = true;
    for (const Entry& f : fields) {
      if (!f.value.IsScalar()) {
        yaml.Err(f.value, "member variable `" + f.key + "` must be a single value");
        good = false;
        continue;
      }
      if (f.key == "key") m.key = f.value.Scalar();
      if (!f.value.Scalar().empty()) m.vars.emplace_back(f.key, f.value.Scalar());  // as absent
    }
    if (!item.IsMap() || !good) continue;
    if (m.key.empty()) {
      yaml.Err(item, "this member needs a `key` (a unique name for the member)");
      continue;
    }
    if (!keys.insert(m.key).second) {
      yaml.Err(item, "member key `" + m.key + "` is used twice in audience `" + a.id + "`");
      continue;
    }
    a.members.push_back(std::move(m));
  }
}

}  // namespace

void ReadAudiences(YamlReader& yaml, const Entry* e, const std::string& dir, const LoadCaps& caps,
                   std::map<std::string, Audience>& audiences,
                   std::map<std::string, AudienceBounds>& bounds) {
  if (e == nullptr) return;
  for (const Entry& a : yaml.Mapping(e->value, "`audiences`")) {
    if (!IsIdentifier(a.key)) {
      yaml.Err(a.key_node, "audience name `" + a.key + "` may use letters, digits, `-`, `_`, `.`");
      continue;
    }
    Audience audience;
    audience.id = a.key;
    audience.pos = yaml.Pos(a.key_node);
    const std::vector<Entry> fields = yaml.Mapping(a.value, "an audience");
    yaml.CheckKeys(fields, {std::begin(kAudienceKeys), std::end(kAudienceKeys)}, "an audience");
    const Entry* file = FindEntry(fields, "file");
    const Entry* members = FindEntry(fields, "members");
    if ((file == nullptr) == (members == nullptr)) {
      yaml.Err(a.key_node, "audience `" + a.key + "` needs either `file:` (a CSV) or `members:`");
    } else if (file != nullptr) {
      AudienceFromCsv(yaml, audience, bounds[audience.id], *file, dir, caps);
    } else {
      AudienceInline(yaml, audience, *members);
    }
    AudienceBounds& bound = bounds[audience.id];
    std::unordered_map<std::string, std::size_t> seen_in;
    for (const Member& m : audience.members) {
      for (const auto& [name, value] : m.vars) {
        ++seen_in[name];
        const TextStats s = StatsOf(value);
        TextStats& t = bound.longest[name];
        t.cp = std::max(t.cp, s.cp);
        t.hashes = std::max(t.hashes, s.hashes);
        t.ats = std::max(t.ats, s.ats);
      }
    }
    auto& everyone = bound.shared_names;
    for (const auto& [name, n] : seen_in) {
      if (n == audience.members.size()) everyone.insert(name);
    }
    audiences[audience.id] = std::move(audience);
  }
}

}  // namespace herald::calendar
