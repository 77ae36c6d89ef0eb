// The calendar subcommands of heraldctl as library functions, so heraldctl's
// main (and tests) call them with argv-like arguments and their own streams:
//   validate PATH... [--json]
//   preview PATH... [--from T] [--to T] [--target P/A] [--member KEY]
//                   [--format table|json|ics] [--output FILE]
// They work on files only (no daemon needed). Exit codes: 0 clean, 1 the
// calendars have errors, 2 bad usage or an output failure. Any thread; the
// functions share no state.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "calendar/loader.h"

namespace herald::ctl {

// args are the words after the subcommand name.
int RunCalendarValidate(const std::vector<std::string>& args, const calendar::LoadContext& context,
                        std::ostream& out, std::ostream& err);

int RunCalendarPreview(const std::vector<std::string>& args, const calendar::LoadContext& context,
                       std::ostream& out, std::ostream& err);

}  // namespace herald::ctl
