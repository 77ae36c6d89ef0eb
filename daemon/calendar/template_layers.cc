#include "calendar/template_layers.h"

#include <date/date.h>

#include <array>

namespace herald::calendar {
namespace {

struct Builtin {
  std::string_view name;
  std::size_t max_length;
};

// Post-layer names have their real values at check time; 0 marks them.
constexpr std::array<Builtin, 11> kBuiltins = {{{"date", 12},
                                                {"weekday", 9},
                                                {"time", 5},
                                                {"year", 4},
                                                {"iso_date", 10},
                                                {"platform", 0},
                                                {"calendar", 0},
                                                {"campaign", 0},
                                                {"goal", 0},
                                                {"post", 0},
                                                {"link", 0}}};

}  // namespace

TemplateData OccurrenceLayer(LocalSeconds local, std::string_view platform) {
  const date::local_seconds t{local.time_since_epoch()};
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  TemplateData d;
  d.set("date", date::format("%B ", t) + std::to_string(static_cast<unsigned>(ymd.day())));
  d.set("weekday", date::format("%A", t));
  d.set("time", date::format("%H:%M", t));
  d.set("year", date::format("%Y", t));
  d.set("iso_date", date::format("%Y-%m-%d", t));
  d.set("platform", std::string(platform));
  return d;
}

TemplateData MemberLayer(const Member& member) {
  TemplateData d;
  for (const auto& [name, value] : member.vars) d.set(name, value);
  return d;
}

TemplateData PostLayer(const Calendar& calendar, const Post& post) {
  TemplateData d;
  d.set("calendar", calendar.id);
  d.set("campaign", post.campaign_id);
  d.set("goal", post.goal);
  d.set("post", post.id);
  d.set("link", post.link);
  return d;
}

bool IsBuiltinName(std::string_view name) {
  for (const Builtin& b : kBuiltins) {
    if (b.name == name) return true;
  }
  return false;
}

std::vector<std::string> BuiltinNames() {
  std::vector<std::string> out;
  for (const Builtin& b : kBuiltins) out.emplace_back(b.name);
  return out;
}

std::size_t BuiltinMaxLength(std::string_view name) {
  for (const Builtin& b : kBuiltins) {
    if (b.name == name) return b.max_length;
  }
  return 0;
}

}  // namespace herald::calendar
