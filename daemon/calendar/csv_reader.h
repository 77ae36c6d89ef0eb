// CsvReader: reads an audience CSV file from a calendar's folder (RFC 4180: commas, double quotes,
// "" inside quotes, CRLF or LF; a UTF-8 BOM is ignored) with hostile-input
// caps on size and rows. Bytes that are not UTF-8 and a header naming a
// column twice are problems at their line:col (the rest is still read, bad
// bytes as U+FFFD); row-level checks (missing columns) are the caller's.
// Stateless; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"

namespace herald::calendar {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> cells;
};

// A problem at a place in the file; the message is a whole sentence.
struct CsvProblem {
  int line = 1;
  int col = 1;
  std::string message;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvProblem> problems;
  std::vector<CsvRow> rows;  // blank lines are skipped
};

struct CsvLimits {
  std::size_t max_bytes = 8u << 20;
  std::size_t max_rows = 100000;
};

// Reads `relative` beneath the calendar's folder `root`, opened confined
// (common/confined_file.h: no link followed, nothing outside the folder, a
// regular file with one name). kNotFound when the file is missing;
// kInvalidArgument when the confinement refuses it, or (with the line) when a
// quote is not closed, the header is empty, or a cap is exceeded. Messages
// are sentence ends meant to follow "audience file `NAME` ".
Result<CsvTable> ReadCsv(const std::string& root, const std::string& relative,
                         const CsvLimits& limits);

}  // namespace herald::calendar
