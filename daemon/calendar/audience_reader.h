// Audiences: a calendar's `audiences:` block read into Audience values, each
// from a CSV file (`file:`, its first row the variable names, a unique `key`
// column) or from inline `members:`, with the bounds the limit checks use
// (longest value per variable, the variables every member has). Problems go
// to the reader's Diagnostics, CSV rows at the CSV's file:line. Any thread,
// with its own reader.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "calendar/loader.h"
#include "calendar/model.h"
#include "calendar/text_stats.h"
#include "calendar/yaml_reader.h"

namespace herald::calendar {

// What the post checks know of an audience's values without rendering.
struct AudienceBounds {
  // Per variable: longest value and most '#'/'@', for bounds.
  std::unordered_map<std::string, TextStats> longest;
  // The variables every member has (all CSV columns), so the missing-variable
  // check only walks members for the others.
  std::unordered_set<std::string> shared_names;
  // A CSV audience's columns (an empty cell counts as absent); empty for
  // inline members.
  std::unordered_set<std::string> csv_columns;
};

// Reads the `audiences` entry (null: none) into `audiences` and `bounds`,
// both by audience name. CSV paths are relative to `dir`, read within caps.
void ReadAudiences(YamlReader& yaml, const Entry* e, const std::string& dir, const LoadCaps& caps,
                   std::map<std::string, Audience>& audiences,
                   std::map<std::string, AudienceBounds>& bounds);

}  // namespace herald::calendar
