// AccountSpecOf: what a connector for a configured account is made with: its
// platform, the name after "platform/", its API base and settings. The
// dispatcher's connectors and the load context's validate() connectors
// (load_context.h) are made alike. Pure function; any thread.
#pragma once

#include "config/config.h"
#include "plugin/connector.h"

namespace herald::core {

plugin::AccountSpec AccountSpecOf(const config::AccountConfig& account);

}  // namespace herald::core
