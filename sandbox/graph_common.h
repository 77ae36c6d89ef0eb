// What the Facebook and Instagram emulators share about the Graph API: the
// access check (token, then the per-account call budget with its usage
// headers) and the `fields` parameter syntax. Called with ctx.lock held.
#pragma once

#include <cpprest/json.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/emulator.h"

namespace herald::sandbox {

// nullopt when the request's token grants `account_id` and the account has
// calls left this hour (the call is counted); otherwise the error response:
// 190 for a missing, unknown or expired token, 200 (permissions) for another
// account's token, 32/4 when the hourly budget is spent.
std::optional<HttpResponse> CheckGraphAccess(const HttpRequest& request, EmulatorContext& ctx,
                                             const std::string& account_id);
// Adds X-App-Usage and X-Business-Use-Case-Usage for the account's use so far.
void AddUsage(HttpResponse& response, EmulatorContext& ctx, const std::string& account_id);

struct GraphField {
  std::string name;       // "likes"
  std::string modifiers;  // ".summary(true)" or "{id,name}", "" when none
};
// Splits "id,likes.summary(true),insights.metric(a,b)" at top-level commas.
std::vector<GraphField> ParseFields(const std::string& fields);
// The comma-separated list inside "name(...)" in `modifiers`, e.g. metric(a,b).
std::vector<std::string> ModifierList(const std::string& modifiers, const std::string& name);
std::vector<std::string> SplitCommas(const std::string& text);

// One page of a Graph edge listing (`limit`, default 25, at most 100; the
// `after` cursor is an offset): {"data": [...], "paging": {"cursors":
// {"after"}, "next"}} with `item(i)` for each of the `count` entries shown.
HttpResponse GraphPage(const HttpRequest& request, EmulatorContext& ctx, size_t count,
                       const std::function<web::json::value(size_t)>& item);

}  // namespace herald::sandbox
