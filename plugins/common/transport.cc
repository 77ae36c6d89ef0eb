#include "common/transport.h"

#include <string>

namespace herald::connectors {

herald::Outcome FromTransport(const herald::TransportError& error, Effect effect,
                              std::string_view what) {
  std::string action(what);
  switch (error.code) {
    case HERALD_ERR_HTTP_NOT_SENT:
      return herald::Outcome::Retry(0, action + ": request not sent: " + error.message);
    case HERALD_ERR_HTTP_NO_RESPONSE:
      if (effect == Effect::kCreatesPost) {
        return herald::Outcome::Unknown(action + ": no answer after the request left (" +
                                        error.message + "); the post may exist");
      }
      return herald::Outcome::Retry(0, action + ": no answer: " + error.message);
    case HERALD_ERR_HTTP_BODY:
      return herald::Outcome::Failed(action + ": cannot read the medium: " + error.message);
    case HERALD_ERR_INVALID_ARGUMENT:  // refused before sending, and would be again
      return herald::Outcome::Failed(action + ": " + error.message);
    default:
      return herald::Outcome::Retry(0, action + ": " + error.message);
  }
}

}  // namespace herald::connectors
