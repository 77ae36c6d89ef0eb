// `heraldctl connect PLATFORM/NAME`: connects an account through the
// platform's OAuth authorization-code flow and writes its entry in the
// credentials file (see docs/configuration.md, "Connecting accounts").
//
// youtube: Google OAuth 2.0 with PKCE (S256), offline access; stores
//   access_token, expires_at_ms, refresh_token, client_id, client_secret.
// facebook, instagram: Facebook Login; the user token is swapped for a
//   long-lived one (fb_exchange_token), the Pages the user manages are listed
//   (/me/accounts) and one is picked; stores the Page's access_token (and
//   client_id, client_secret; facebook also the user_access_token, for video
//   uploads). For instagram the Page must have a linked
//   instagram_business_account.
// instagram with Instagram Login (settings.login: instagram, or --login
//   instagram): Business Login for Instagram; the code becomes a short-lived
//   token, then a long-lived one (ig_exchange_token), /me gives the account's
//   id; stores access_token, expires_at_ms, client_id, client_secret.
// Every flow checks the state parameter, listens for the redirect on
// 127.0.0.1 (RFC 8252) and writes nothing unless every step succeeded.
//
// Secrets (client secret, code, verifier, tokens) never reach `out` or `err`.
// Runs on the calling thread; the loopback listener uses cpprest's threads.
#pragma once

#include <filesystem>
#include <istream>
#include <ostream>
#include <string>

namespace herald::ctl {

struct ConnectOptions {
  std::string account;                       // "youtube/corner-cleaners-tv"
  std::filesystem::path config_file;         // herald.yaml; empty: the default
  bool config_explicit = false;              // --config was given: it must load
  std::filesystem::path credentials_file;    // empty: the configuration's
  std::string client_id;                     // empty: configuration, then the stored one
  std::filesystem::path client_secret_file;  // empty: $HERALD_CLIENT_SECRET, then the stored one
  std::string auth_url;                      // empty: configuration, then the platform's
  std::string token_url;                     // empty: configuration, then the platform's
  std::string scope;                         // empty: configuration, then herald's default
  std::string page;                          // facebook/instagram: Page id (or Instagram id)
  std::string login_hint;                    // passed to the authorization endpoint
  std::string login;                         // instagram: "facebook" or "instagram"; empty:
                                             // the account's settings.login
  int port = 0;                              // loopback port; 0: ephemeral
  bool open_browser = false;                 // run xdg-open on the URL
  int timeout_seconds = 300;                 // how long to wait for the redirect
};

// Runs the whole flow; `in` answers the Page prompt when `interactive`.
// Returns kExitOk, kExitRefused (the flow failed; nothing written) or
// kExitUsage (bad account name, missing client id/secret, unreadable files).
int RunConnect(const ConnectOptions& options, std::istream& in, bool interactive, std::ostream& out,
               std::ostream& err);

}  // namespace herald::ctl
