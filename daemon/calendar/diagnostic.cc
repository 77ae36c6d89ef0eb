#include "calendar/diagnostic.h"

#include <utility>

namespace herald::calendar {

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line) + ':' + std::to_string(col);
  }
  out += severity == Severity::kError ? ": error: " : ": warning: ";
  out += message;
  return out;
}

void Diagnostics::Error(const SourcePos& pos, std::string message) {
  items_.push_back({pos.file, pos.line, pos.col, Severity::kError, std::move(message)});
  ++errors_;
}

void Diagnostics::Warning(const SourcePos& pos, std::string message) {
  items_.push_back({pos.file, pos.line, pos.col, Severity::kWarning, std::move(message)});
}

}  // namespace herald::calendar
