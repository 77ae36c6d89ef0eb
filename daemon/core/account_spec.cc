#include "core/account_spec.h"

namespace herald::core {

plugin::AccountSpec AccountSpecOf(const config::AccountConfig& account) {
  return {account.platform, account.name.substr(account.name.find('/') + 1), account.api_base,
          account.settings_json};
}

}  // namespace herald::core
