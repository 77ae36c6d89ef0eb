// Diagnostic: one problem found in a calendar, with its 1-based file:line:col
// position, in the compiler style editors jump to. Diagnostics is the list a
// load collects (all problems in one run). Plain values; any thread may use
// its own instances.
#pragma once

#include <string>
#include <vector>

namespace herald::calendar {

enum class Severity { kError, kWarning };

// Where a thing was written. line and col are 1-based; 0 means "whole file".
struct SourcePos {
  std::string file;
  int line = 0;
  int col = 0;
};

struct Diagnostic {
  // What the problem is about.
  enum class About {
    kFile,  // a calendar file or a file it names, at file:line:col (line 0: the whole file)
    kPath,  // a configured calendar path as a whole (`file`): missing, unlistable, too full
    kLoad,  // the load as a whole, no file at all (`file` is empty): the total-posts cap
  };
  About about = About::kFile;
  std::string file;
  int line = 0;
  int col = 0;
  Severity severity = Severity::kError;
  std::string message;

  // "file:line:col: error: message" ("file: warning: message" without a
  // line; "herald: error: message" for the load as a whole).
  std::string ToString() const;
};
const char* ToString(Diagnostic::About about);  // "file", "path", "load"

// Collects diagnostics; counts errors so callers can decide cheaply.
class Diagnostics {
 public:
  // About a file, at `pos`.
  void Error(const SourcePos& pos, std::string message);
  void Warning(const SourcePos& pos, std::string message);
  // About a configured path as a whole.
  void PathError(const std::string& path, std::string message);
  void PathWarning(const std::string& path, std::string message);
  // About the load as a whole.
  void LoadError(std::string message);
  void LoadWarning(std::string message);
  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic> Take() { return std::move(items_); }

 private:
  void Add(Diagnostic d);
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

}  // namespace herald::calendar
