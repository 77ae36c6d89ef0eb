#include "calendar/formatters.h"

#include <cpprest/json.h>
#include <libical/ical.h>

#include <algorithm>
#include <memory>

namespace herald::calendar {
namespace {

// Shortens to at most max code points on one line.
std::string OneLine(const std::string& s, std::size_t max) {
  std::string out;
  std::size_t cps = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (cps == max) {
        out += "...";
        return out;
      }
      ++cps;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : static_cast<char>(c);
  }
  return out;
}

std::size_t Width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

void FormatTable(const std::vector<Job>& jobs, std::ostream& out) {
  const std::vector<std::string> head = {"WHEN (LOCAL)", "ACCOUNT",  "MEMBER",
                                         "POST",         "CAMPAIGN", "TEXT"};
  std::vector<std::vector<std::string>> rows;
  rows.reserve(jobs.size());
  for (const Job& j : jobs) {
    rows.push_back({j.local_time, j.account, j.member_key.empty() ? "-" : j.member_key, j.post_id,
                    j.campaign_id + " (" + j.goal + ")", OneLine(j.text, 60)});
  }
  std::vector<std::size_t> w(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) w[c] = Width(head[c]);
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], Width(r[c]));
  }
  auto line = [&](const std::vector<std::string>& r) {
    for (std::size_t c = 0; c < r.size(); ++c) {
      out << r[c];
      if (c + 1 < r.size()) out << std::string(w[c] - Width(r[c]) + 2, ' ');
    }
    out << '\n';
  };
  line(head);
  for (const auto& r : rows) line(r);
  out << jobs.size() << (jobs.size() == 1 ? " post\n" : " posts\n");
}

void FormatJson(const std::vector<Job>& jobs, std::ostream& out) {
  out << "[";
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    out << (i == 0 ? "\n" : ",\n") << ToJson(jobs[i], false);
  }
  out << "\n]\n";
}

Result<std::string> FormatIcs(const std::vector<Job>& jobs) {
  using Component = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;
  Component cal(icalcomponent_new_vcalendar(), &icalcomponent_free);
  if (!cal) return Error(ErrorCode::kInternal, "libical could not create a calendar");
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//herald//preview//EN"));
  icaltimezone* utc = icaltimezone_get_utc_timezone();
  for (const Job& j : jobs) {
    icalcomponent* ev = icalcomponent_new_vevent();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(j.due.time_since_epoch());
    const icaltimetype start = icaltime_from_timet_with_zone(secs.count(), 0, utc);
    const icaltimetype end = icaltime_from_timet_with_zone(secs.count() + 15 * 60, 0, utc);
    icalcomponent_add_property(ev, icalproperty_new_uid((j.id + "@herald").c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(start));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
    icalcomponent_add_property(ev, icalproperty_new_dtend(end));
    std::string summary = j.account + ": " + j.post_id;
    if (!j.member_key.empty()) summary += " for " + j.member_key;
    icalcomponent_add_property(ev, icalproperty_new_summary(summary.c_str()));
    std::string description = j.text;
    if (!j.link.empty()) description += "\n" + j.link;
    for (const JobMedia& m : j.media) description += "\n[" + m.mime_type + "] " + m.path;
    description += "\ncampaign " + j.campaign_id + " (" + j.goal + ")";
    icalcomponent_add_property(ev, icalproperty_new_description(description.c_str()));
    icalcomponent_add_property(ev,
                               icalproperty_new_categories((j.goal + "," + j.platform).c_str()));
    icalcomponent_add_component(cal.get(), ev);
  }
  char* text = icalcomponent_as_ical_string_r(cal.get());
  if (text == nullptr) return Error(ErrorCode::kInternal, "libical could not write the calendar");
  std::string out(text);
  icalmemory_free_buffer(text);
  return out;
}

void FormatDiagnosticsJson(const std::vector<Diagnostic>& diagnostics, std::ostream& out) {
  using web::json::value;
  value arr = value::array(diagnostics.size());
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = diagnostics[i];
    value o = value::object();
    o["about"] = value::string(ToString(d.about));
    o["file"] = value::string(d.file);
    o["line"] = value::number(d.line);
    o["col"] = value::number(d.col);
    o["severity"] = value::string(d.severity == Severity::kError ? "error" : "warning");
    o["message"] = value::string(d.message);
    arr[i] = std::move(o);
  }
  out << arr.serialize() << '\n';
}

}  // namespace herald::calendar
