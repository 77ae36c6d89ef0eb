#include "calendar/csv_reader.h"

#include <cstdint>

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
  std::size_t i = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;

  CsvTable table;
  int line = 1;
  bool first = true;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    bool blank = true;
    for (;;) {
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
    if (blank) continue;
    if (first) {
      table.header = std::move(row.cells);
      first = false;
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
