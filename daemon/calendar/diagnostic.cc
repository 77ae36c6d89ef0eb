#include "calendar/diagnostic.h"

#include <utility>

namespace herald::calendar {

const char* ToString(Diagnostic::About about) {
  switch (about) {
    case Diagnostic::About::kFile:
      return "file";
    case Diagnostic::About::kPath:
      return "path";
    case Diagnostic::About::kLoad:
      return "load";
  }
  return "file";
}

std::string Diagnostic::ToString() const {
  std::string out = about == About::kLoad ? "herald" : file;
  if (line > 0) {
    out += ':' + std::to_string(line) + ':' + std::to_string(col);
  }
  out += severity == Severity::kError ? ": error: " : ": warning: ";
  out += message;
  return out;
}

void Diagnostics::Add(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  items_.push_back(std::move(d));
}

void Diagnostics::Error(const SourcePos& pos, std::string message) {
  Add({Diagnostic::About::kFile, pos.file, pos.line, pos.col, Severity::kError,
       std::move(message)});
}

void Diagnostics::Warning(const SourcePos& pos, std::string message) {
  Add({Diagnostic::About::kFile, pos.file, pos.line, pos.col, Severity::kWarning,
       std::move(message)});
}

void Diagnostics::PathError(const std::string& path, std::string message) {
  Add({Diagnostic::About::kPath, path, 0, 0, Severity::kError, std::move(message)});
}

void Diagnostics::PathWarning(const std::string& path, std::string message) {
  Add({Diagnostic::About::kPath, path, 0, 0, Severity::kWarning, std::move(message)});
}

void Diagnostics::LoadError(std::string message) {
  Add({Diagnostic::About::kLoad, "", 0, 0, Severity::kError, std::move(message)});
}

void Diagnostics::LoadWarning(std::string message) {
  Add({Diagnostic::About::kLoad, "", 0, 0, Severity::kWarning, std::move(message)});
}

}  // namespace herald::calendar
