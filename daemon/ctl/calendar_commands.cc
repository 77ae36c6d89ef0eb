#include "ctl/calendar_commands.h"

#include <fcntl.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <fstream>
#include <sstream>

#include "calendar/expand.h"
#include "calendar/formatters.h"
#include "calendar/suggest.h"
#include "calendar/time_zone.h"
#include "common/private_file.h"

namespace herald::ctl {
namespace {

using calendar::Diagnostic;
using calendar::Severity;

constexpr const char* kFooter =
    "With heraldctl's -c/--config herald.yaml, accounts are checked against the configuration "
    "and each post by its connector's own rules. Platform limits come from the connector "
    "plugins: the configuration's plugin_dirs, else the ones beside heraldctl in a build tree, "
    "else the installed ones. Exit status: 0 no errors (warnings allowed), 1 errors, 2 bad usage.";

// Runs CLI11 over args; returns -1 to go on, or the exit code to return.
int Parse(CLI::App& app, const std::vector<std::string>& args, std::ostream& out,
          std::ostream& err) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << app.get_name() << ": " << e.what() << '\n';
    return 2;
  }
  return -1;
}

void PrintDiagnostics(const std::vector<Diagnostic>& diags, std::ostream& err) {
  int errors = 0, warnings = 0;
  for (const Diagnostic& d : diags) {
    err << d.ToString() << '\n';
    (d.severity == Severity::kError ? errors : warnings)++;
  }
  if (errors > 0 || warnings > 0) {
    err << errors << (errors == 1 ? " error, " : " errors, ") << warnings
        << (warnings == 1 ? " warning\n" : " warnings\n");
  }
}

// "2025-07-01", "2025-07-01 10:00" in zone, or with a trailing Z in UTC.
bool ParseWindowTime(std::string text, const std::string& zone, calendar::TimePoint& out,
                     std::string& error) {
  bool utc = false;
  if (!text.empty() && text.back() == 'Z') {
    utc = true;
    text.pop_back();
  }
  Result<calendar::ParsedLocalTime> t = calendar::ParseLocalTime(text, true);
  if (!t.ok()) {
    error = t.error().message();
    return false;
  }
  calendar::SysSeconds s{t->time.time_since_epoch()};
  if (!utc) {
    Result<calendar::TimeZone> z = calendar::TimeZone::Find(zone.empty() ? "UTC" : zone);
    if (!z.ok()) {
      error = z.error().message();
      return false;
    }
    s = z->Resolve(t->time).utc;
  }
  out = std::chrono::time_point_cast<std::chrono::milliseconds>(s);
  return true;
}

}  // namespace

int RunCalendarValidate(const std::vector<std::string>& args, const calendar::LoadContext& context,
                        std::ostream& out, std::ostream& err) {
  try {
    CLI::App app("Check calendar files and report every problem as file:line:col.",
                 "heraldctl validate");
    std::vector<std::string> paths;
    bool json = false;
    app.add_option("PATH", paths, "calendar files, or folders of *.yaml files")->required();
    app.add_flag("--json", json, "print the problems as JSON");
    app.footer(kFooter);
    if (int rc = Parse(app, args, out, err); rc >= 0) return rc;
    const calendar::LoadResult r = calendar::Load(paths, context);
    if (json) {
      calendar::FormatDiagnosticsJson(r.diagnostics, out);
    } else {
      PrintDiagnostics(r.diagnostics, err);
      if (r.ok()) {
        std::size_t posts = 0;
        for (const auto& c : r.calendars.calendars) posts += c.posts.size();
        out << r.calendars.calendars.size() << " calendar(s), " << posts << " post(s): OK\n";
      }
    }
    return r.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    err << "validate: " << e.what() << '\n';
    return 2;
  }
}

int RunCalendarPreview(const std::vector<std::string>& args, const calendar::LoadContext& context,
                       std::ostream& out, std::ostream& err) {
  try {
    CLI::App app("Show exactly what the calendars will post, rendered.", "heraldctl preview");
    std::vector<std::string> paths;
    std::string from_text, to_text, target, member, format = "table", output;
    app.add_option("PATH", paths, "calendar files, or folders of *.yaml files")->required();
    app.footer(kFooter);
    app.add_option("--from", from_text,
                   "first instant, `2025-07-01` or `2025-07-01 10:00` in the first calendar's "
                   "zone (a trailing Z means UTC); default: everything");
    app.add_option("--to", to_text, "end of the window (exclusive), same form");
    app.add_option("--target", target, "only this account, platform/name");
    app.add_option("--member", member, "only this audience member key");
    app.add_option("--format", format, "table, json or ics")
        ->check(CLI::IsMember({"table", "json", "ics"}));
    app.add_option("-o,--output", output, "write to this file instead of standard output");
    if (int rc = Parse(app, args, out, err); rc >= 0) return rc;

    const calendar::LoadResult r = calendar::Load(paths, context);
    PrintDiagnostics(r.diagnostics, err);
    if (!r.ok()) return 1;
    const std::string zone =
        r.calendars.calendars.empty() ? "UTC" : r.calendars.calendars.front().time_zone;
    calendar::TimePoint from = calendar::TimePoint::min();
    calendar::TimePoint to = calendar::TimePoint::max();
    std::string error;
    if (!from_text.empty() && !ParseWindowTime(from_text, zone, from, error)) {
      err << "preview: --from: " << error << '\n';
      return 2;
    }
    if (!to_text.empty() && !ParseWindowTime(to_text, zone, to, error)) {
      err << "preview: --to: " << error << '\n';
      return 2;
    }
    if (from >= to && !from_text.empty() && !to_text.empty()) {
      err << "preview: --from must come before --to\n";
      return 2;
    }
    if (!member.empty() || !target.empty()) {
      std::vector<std::string> members, targets;
      for (const calendar::Calendar& c : r.calendars.calendars) {
        for (const auto& [id, audience] : c.audiences) {
          for (const calendar::Member& m : audience.members) members.push_back(m.key);
        }
        for (const calendar::Post& p : c.posts) {
          targets.insert(targets.end(), p.targets.begin(), p.targets.end());
        }
      }
      if (!member.empty() && std::find(members.begin(), members.end(), member) == members.end()) {
        err << "preview: --member `" << member << "`: no audience of these calendars has a member "
            << "with this key" << calendar::Suggest(member, members) << '\n';
        return 2;
      }
      if (!target.empty() && std::find(targets.begin(), targets.end(), target) == targets.end()) {
        err << "preview: --target `" << target << "`: no post of these calendars goes to this "
            << "account" << calendar::Suggest(target, targets) << '\n';
        return 2;
      }
    }
    std::vector<calendar::Job> jobs = calendar::Expand(r.calendars, from, to);
    jobs.erase(std::remove_if(jobs.begin(), jobs.end(),
                              [&](const calendar::Job& j) {
                                return (!target.empty() && j.account != target) ||
                                       (!member.empty() && j.member_key != member);
                              }),
               jobs.end());
    // A preview holds audience members' names and posts not yet public: the
    // file is the caller's alone (0600), whatever the umask.
    UniqueFd file;
    if (!output.empty()) {
      auto opened = OpenWithMode(output, O_WRONLY | O_TRUNC, 0600);
      if (!opened.ok()) {
        err << "preview: " << opened.error().message() << '\n';
        return 2;
      }
      file = std::move(*opened);
    }
    std::ostringstream buffered;
    std::ostream& sink = output.empty() ? out : buffered;
    if (format == "json") {
      calendar::FormatJson(jobs, sink);
    } else if (format == "ics") {
      Result<std::string> ics = calendar::FormatIcs(jobs);
      if (!ics.ok()) {
        err << "preview: " << ics.error().message() << '\n';
        return 2;
      }
      sink << *ics;
    } else {
      calendar::FormatTable(jobs, sink);
    }
    sink.flush();
    if (file.valid()) {
      if (Status written = WriteAll(file.get(), buffered.str()); !written.ok()) {
        err << "preview: cannot write " << output << ": " << written.error().message() << '\n';
        return 2;
      }
    }
    if (!sink) {
      err << "preview: writing the output failed\n";
      return 2;
    }
    return 0;
  } catch (const std::exception& e) {
    err << "preview: " << e.what() << '\n';
    return 2;
  }
}

}  // namespace herald::ctl
