#include "calendar/csv_reader.h"

#include <cstdint>
#include <unordered_map>

#include "calendar/utf8.h"
#include "common/confined_file.h"

namespace herald::calendar {

Result<CsvTable> ReadCsv(const std::string& root, const std::string& relative,
                         const CsvLimits& limits) {
  ConfinedOptions confined;
  confined.folder = "the calendar's folder";
  auto file = OpenBeneath(root, relative, confined);
  if (!file.ok()) return file.error();
  const Error too_big(ErrorCode::kInvalidArgument,
                      "is larger than " + std::to_string(limits.max_bytes >> 20) + " MB; split it");
  if (static_cast<std::uint64_t>(file->identity.size) > limits.max_bytes) return too_big;
  auto read = ReadAll(file->fd.get(), limits.max_bytes);
  if (!read.ok()) {
    // kInvalidArgument: it grew past the cap after it was opened.
    if (read.error().code() == ErrorCode::kInvalidArgument) return too_big;
    return Error(ErrorCode::kIo, read.error().message());
  }
  std::string text = std::move(*read);
  CsvTable table;
  constexpr std::size_t kMaxReported = 10;
  const std::vector<Utf8Error> bad = InvalidUtf8(text, kMaxReported);
  for (const Utf8Error& b : bad) {
    table.problems.push_back({b.at.line, b.at.col, WhyNotUtf8(text, b.offset)});
  }
  if (text.compare(0, 2, "\xFF\xFE") == 0 || text.compare(0, 2, "\xFE\xFF") == 0) {
    return Error(ErrorCode::kInvalidArgument, "is saved as UTF-16; save it as UTF-8");
  }
  if (!bad.empty()) text = RepairUtf8(text);
  std::size_t i = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  const bool bom = i == 3;
  std::vector<std::size_t> header_at;  // byte offset of each header cell
  int line = 1;
  bool first = true;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    bool blank = true;
    for (;;) {
      if (first) header_at.push_back(i);
      if (i < text.size() && text[i] == '"') {
        blank = false;
        const int quote_line = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return Error(ErrorCode::kInvalidArgument, "has a quote opened on line " +
                                                          std::to_string(quote_line) +
                                                          " that is never closed");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
      }
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        blank = false;
        cell += text[i++];
      }
      if (i < text.size() && text[i] == ',') {
        blank = false;
        row.cells.push_back(std::move(cell));
        cell.clear();
        ++i;
        continue;
      }
      row.cells.push_back(std::move(cell));
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      break;
    }
    if (blank) {
      header_at.clear();
      continue;
    }
    if (first) {
      table.header = std::move(row.cells);
      first = false;
      std::unordered_map<std::string, std::size_t> seen;
      for (std::size_t c = 0; c < table.header.size(); ++c) {
        const auto [it, fresh] = seen.emplace(table.header[c], c);
        if (fresh || table.header[c].empty()) continue;
        LineCol at = LineColAt(text, header_at[c]);
        if (bom && at.line == 1) --at.col;  // the BOM is not a character an editor shows
        table.problems.push_back({at.line, at.col,
                                  "column `" + table.header[c] +
                                      "` is named twice in the header (columns " +
                                      std::to_string(it->second + 1) + " and " +
                                      std::to_string(c + 1) + "); rename or remove one"});
      }
      continue;
    }
    if (table.rows.size() >= limits.max_rows) {
      return Error(ErrorCode::kInvalidArgument,
                   "has more than " + std::to_string(limits.max_rows) + " rows; split it");
    }
    table.rows.push_back(std::move(row));
  }
  if (table.header.empty()) {
    return Error(ErrorCode::kInvalidArgument, "is empty; its first row names the columns");
  }
  return table;
}

}  // namespace herald::calendar
