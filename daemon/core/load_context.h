// MakeLoadContext: what the calendar loader knows of the daemon, built from
// the configuration and the loaded plugins: the accounts calendars may
// target, each platform's limits from its plugin's describe(), and the
// plugins' own validate() of a rendered post (through one connector per
// configured account, made without credentials or network). heraldd's
// reloads and heraldctl validate/preview --config use the same context, so
// both judge a calendar alike.
//
// The context's check_job may be called from several threads: a lock keeps
// each connector to one call at a time. The plugins must stay loaded while
// the context is in use.
#pragma once

#include "calendar/loader.h"
#include "config/config.h"
#include "plugin/plugin_loader.h"

namespace herald::core {

// The calendar loader's context from the daemon's accounts and the plugins'
// describe() limits.
calendar::LoadContext MakeLoadContext(const config::Config& config,
                                      const plugin::PluginLoadReport& plugins);

// Without a configuration: the plugins' limits only (accounts are not
// known, and no connector is asked to validate()).
calendar::LoadContext MakeLimitsContext(const plugin::PluginLoadReport& plugins);

}  // namespace herald::core
