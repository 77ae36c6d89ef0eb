#include "calendar/csv_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace herald::calendar {

Result<CsvTable> ReadCsv(const std::string& path, const CsvLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error(ErrorCode::kNotFound, "does not exist or cannot be read");
  if (size > limits.max_bytes) {
    return Error(ErrorCode::kInvalidArgument,
                 "is larger than " + std::to_string(limits.max_bytes >> 20) + " MB; split it");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (!in && !in.eof()) return Error(ErrorCode::kIo, "cannot be read");
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
