#include <utility>

#include "ctl/connect_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpprest/json.h>
#include <herald/plugin_abi.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <vector>

#include "common/graph_versions.h"
#include "common/origin.h"
#include "common/result.h"
#include "config/config_loader.h"
#include "config/credential_store.h"
#include "ctl/api_commands.h"
#include "ctl/loopback_redirect.h"
#include "ctl/pkce.h"
#include "http/http_client.h"

extern char** environ;

namespace herald::ctl {
namespace {

namespace fs = std::filesystem;
using web::json::value;

struct PlatformDefaults {
  std::string auth_url;
  std::string token_url;
  std::string scope;
};

// The real endpoints and herald's scopes; Facebook Login's carry the Graph
// version the account uses.
std::optional<PlatformDefaults> DefaultsFor(const std::string& platform, bool instagram_login,
                                            const std::string& version) {
  if (platform == "youtube") {
    return PlatformDefaults{"https://accounts.google.com/o/oauth2/v2/auth",
                            "https://oauth2.googleapis.com/token",
                            "https://www.googleapis.com/auth/youtube.upload "
                            "https://www.googleapis.com/auth/youtube.readonly"};
  }
  if (platform == "instagram" && instagram_login) {
    // Business Login for Instagram: the embed URL's host, the code exchange on api.instagram.com.
    return PlatformDefaults{"https://www.instagram.com/oauth/authorize",
                            "https://api.instagram.com/oauth/access_token",
                            "instagram_business_basic,instagram_business_content_publish"};
  }
  const std::string fb_auth = "https://www.facebook.com/" + version + "/dialog/oauth";
  const std::string fb_token = "https://graph.facebook.com/" + version + "/oauth/access_token";
  if (platform == "facebook") {
    return PlatformDefaults{fb_auth, fb_token,
                            "pages_show_list,pages_manage_posts,pages_read_engagement"};
  }
  if (platform == "instagram") {
    return PlatformDefaults{fb_auth, fb_token,
                            "pages_show_list,pages_read_engagement,business_management,"
                            "instagram_basic,instagram_content_publish"};
  }
  return std::nullopt;
}

// The flow's secrets, so that any text from a server is redacted before it is shown.
struct Secrets {
  std::vector<std::string> values;
  void Add(const std::string& v) {
    if (!v.empty()) values.push_back(v);
  }
  std::string Clean(const std::string& text) const { return http::Redact(text, values); }
};

// Percent-encodes all but RFC 3986's unreserved characters.
std::string Encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// application/x-www-form-urlencoded (also a query string); empty values are left out.
std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (v.empty()) continue;
    if (!body.empty()) body += '&';
    body += Encode(k) + "=" + Encode(v);
  }
  return body;
}

std::string Field(const value& object, const char* name) {
  if (!object.is_object() || !object.has_field(name)) return "";
  const value& v = object.at(name);
  if (v.is_string()) return v.as_string();
  if (v.is_number()) return v.serialize();
  return "";
}

// "invalid_grant (Malformed auth code.)" or "(#100) message" from an error body.
std::string ServerError(const value& body) {
  // api.instagram.com: {"error_type","code","error_message"}
  if (body.is_object() && !body.has_field("error") && body.has_field("error_message")) {
    return Field(body, "error_type") + ": " + Field(body, "error_message");
  }
  if (!body.is_object() || !body.has_field("error")) return "";
  const value& error = body.at("error");
  if (error.is_string()) {
    std::string text = error.as_string();
    std::string description = Field(body, "error_description");
    return description.empty() ? text : text + " (" + description + ")";
  }
  std::string message = Field(error, "message");
  std::string code = Field(error, "code");
  std::string subcode = Field(error, "error_subcode");
  return message +
         (code.empty() ? "" : " [code " + code + (subcode.empty() ? "" : "/" + subcode) + "]");
}

// One request to an OAuth or Graph endpoint; the JSON answer of a 2xx, else an
// error naming `what` and the server's own words (redacted).
Result<value> Call(http::HttpClient& client, const std::string& method, const std::string& url,
                   const std::string& form, const std::string& bearer, const Secrets& secrets,
                   const std::string& what) {
  std::vector<herald_header> headers;
  std::string authorization = "Bearer " + bearer;
  if (!form.empty()) headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  headers.push_back({"Accept", "application/json"});
  if (!bearer.empty()) headers.push_back({"Authorization", authorization.c_str()});
  std::vector<const char*> secret_ptrs;
  for (const std::string& s : secrets.values) secret_ptrs.push_back(s.c_str());
  herald_http_request request{};
  request.struct_size = sizeof request;
  request.method = method.c_str();
  request.url = url.c_str();
  request.headers = headers.data();
  request.header_count = headers.size();
  request.body_kind = form.empty() ? HERALD_BODY_NONE : HERALD_BODY_MEMORY;
  request.data = form.data();
  request.size = form.size();
  request.timeout_ms = 30000;
  request.secrets = secret_ptrs.data();
  request.secret_count = secret_ptrs.size();
  http::HttpResponse response;
  if (client.Perform(request, response) != HERALD_OK) {
    return Error(ErrorCode::kUnavailable, what + ": cannot reach " +
                                              secrets.Clean(url.substr(0, url.find('?'))) + ": " +
                                              secrets.Clean(response.error));
  }
  std::error_code ec;
  value body = value::parse(response.body, ec);
  if (response.status < 200 || response.status >= 300) {
    std::string reason = ec ? "" : ServerError(body);
    return Error(ErrorCode::kPermissionDenied,
                 what + " failed: HTTP " + std::to_string(response.status) +
                     (reason.empty() ? "" : ": " + secrets.Clean(reason)));
  }
  if (ec || !body.is_object()) {
    return Error(ErrorCode::kInvalidArgument, what + ": the answer is not a JSON object");
  }
  return body;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::string> ReadSecretFile(const fs::path& file) {
  std::ifstream in(file);
  if (!in) {
    return Error(ErrorCode::kIo, "cannot read the client secret file " + file.string() + ": " +
                                     std::strerror(errno));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.empty()) return Error(ErrorCode::kInvalidArgument, file.string() + " is empty");
  return text;
}

// Removes the empty credentials file that connect created, unless kept.
struct CreatedFile {
  fs::path path;
  bool keep = false;
  ~CreatedFile() {
    if (!path.empty() && !keep) ::unlink(path.c_str());
  }
};

// Opens the credentials file, creating an empty one of mode 0600 when absent
// (and recording it in `created`, so a failed flow leaves nothing behind).
Result<std::unique_ptr<config::CredentialStore>> OpenCredentials(const fs::path& file,
                                                                 CreatedFile& created) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    created.path = file;
  } else if (errno != EEXIST) {
    return Error(ErrorCode::kIo, "cannot create the credentials file " + file.string() + ": " +
                                     std::strerror(errno));
  }
  return config::CredentialStore::Open(file, ::geteuid());
}

void OpenInBrowser(const std::string& url, std::ostream& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string program = "xdg-open";
  char* argv[] = {program.data(), const_cast<char*>(url.c_str()), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "xdg-open", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    err << "heraldctl: cannot run xdg-open (" << std::strerror(rc) << "); open the URL yourself\n";
}

struct Page {
  std::string id;
  std::string name;
  std::string access_token;
  std::string instagram_id;
};

Result<std::vector<Page>> ListPages(http::HttpClient& client, const std::string& graph_base,
                                    const std::string& user_token, Secrets& secrets) {
  std::vector<Page> pages;
  std::string url =
      graph_base + "/me/accounts?fields=id,name,access_token,instagram_business_account&limit=100";
  for (int round = 0; round < 20 && !url.empty(); ++round) {
    auto body =
        Call(client, "GET", url, "", user_token, secrets, "listing your Pages (/me/accounts)");
    if (!body) return body.error();
    if (!body->has_field("data") || !body->at("data").is_array()) {
      return Error(ErrorCode::kInvalidArgument, "/me/accounts answered without a data list");
    }
    for (const value& item : body->at("data").as_array()) {
      Page page{Field(item, "id"), Field(item, "name"), Field(item, "access_token"), ""};
      if (item.is_object() && item.has_field("instagram_business_account")) {
        page.instagram_id = Field(item.at("instagram_business_account"), "id");
      }
      if (page.id.empty()) continue;
      secrets.Add(page.access_token);
      pages.push_back(std::move(page));
    }
    url.clear();
    if (body->has_field("paging") && body->at("paging").is_object()) {
      const std::string next = Field(body->at("paging"), "next");
      // The next page's URL comes from the answer and gets the user's token:
      // only on the Graph API's own origin (scheme, host and port).
      if (!next.empty() && !connectors::OnOrigin(next, graph_base)) {
        auto there = connectors::OriginOf(next);
        return Error(ErrorCode::kInvalidArgument,
                     "/me/accounts named its next page on " +
                         (there ? there->Text() : std::string("no http(s) origin")) +
                         ", not the Graph API's origin; herald sends your token nowhere else");
      }
      url = next;
    }
  }
  return pages;
}

std::string Describe(const Page& page) {
  return page.name + " (Page " + page.id +
         (page.instagram_id.empty() ? "" : ", Instagram " + page.instagram_id) + ")";
}

Result<Page> PickPage(const std::vector<Page>& all, const std::string& platform,
                      const std::string& wanted, std::istream& in, bool interactive,
                      std::ostream& out) {
  std::vector<Page> pages;
  for (const Page& p : all) {
    if (platform != "instagram" || !p.instagram_id.empty()) pages.push_back(p);
  }
  if (pages.empty()) {
    return Error(ErrorCode::kNotFound,
                 platform == "instagram"
                     ? "none of the Pages you manage has a linked Instagram business account"
                     : "you manage no Facebook Page (or did not grant access to any)");
  }
  auto list = [&] {
    std::string text;
    for (size_t i = 0; i < pages.size(); ++i) {
      text += "  " + std::to_string(i + 1) + ") " + Describe(pages[i]) + "\n";
    }
    return text;
  };
  if (!wanted.empty()) {
    for (const Page& p : pages) {
      if (p.id == wanted || (!p.instagram_id.empty() && p.instagram_id == wanted)) return p;
    }
    return Error(ErrorCode::kNotFound,
                 "no Page " + wanted + " among the ones you manage" +
                     (platform == "instagram" ? " with an Instagram account" : "") + ":\n" +
                     list());
  }
  if (pages.size() == 1) {
    out << "Using the only Page: " << Describe(pages[0]) << "\n";
    return pages[0];
  }
  if (!interactive) {
    return Error(ErrorCode::kInvalidArgument,
                 "you manage several Pages; pick one with --page ID:\n" + list());
  }
  out << "Pages you manage:\n" << list() << "Which one (number or id)? " << std::flush;
  std::string answer;
  if (!std::getline(in, answer)) return Error(ErrorCode::kInvalidArgument, "no Page chosen");
  for (size_t i = 0; i < pages.size(); ++i) {
    if (answer == std::to_string(i + 1) || answer == pages[i].id ||
        answer == pages[i].instagram_id) {
      return pages[i];
    }
  }
  return Error(ErrorCode::kInvalidArgument, "'" + answer + "' is not one of the Pages listed");
}

std::string Query(const std::string& base,
                  const std::vector<std::pair<std::string, std::string>>& fields) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + Form(fields);
}

struct InstagramAccount {
  std::string access_token;  // long-lived (60 days)
  int64_t expires_at_ms = 0;
  std::string ig_user_id;
  std::string username;
};

// Business Login for Instagram after the redirect: the code for a short-lived
// token (api.instagram.com/oauth/access_token), that for a long-lived one
// (graph.instagram.com/access_token, ig_exchange_token), then /me for the
// professional account's id.
Result<InstagramAccount> InstagramLogin(http::HttpClient& client, const std::string& token_url,
                                        const std::string& graph, const std::string& version,
                                        const std::string& client_id,
                                        const std::string& client_secret,
                                        const std::string& redirect_uri, const std::string& code,
                                        Secrets& secrets) {
  auto exchanged = Call(client, "POST", token_url,
                        Form({{"client_id", client_id},
                              {"client_secret", client_secret},
                              {"grant_type", "authorization_code"},
                              {"redirect_uri", redirect_uri},
                              {"code", code}}),
                        "", secrets, "exchanging the authorization code");
  if (!exchanged) return exchanged.error();
  // {"data":[{"access_token","user_id","permissions"}]}, or the same fields at the top.
  value first = *exchanged;
  if (exchanged->has_field("data") && exchanged->at("data").is_array() &&
      exchanged->at("data").size() > 0) {
    first = exchanged->at("data").at(0);
  }
  std::string short_lived = Field(first, "access_token");
  if (short_lived.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "the token endpoint answered without an access_token");
  }
  secrets.Add(short_lived);
  auto long_lived = Call(client, "GET",
                         Query(graph + "/access_token", {{"grant_type", "ig_exchange_token"},
                                                         {"client_secret", client_secret},
                                                         {"access_token", short_lived}}),
                         "", "", secrets, "exchanging for a long-lived token (ig_exchange_token)");
  if (!long_lived) return long_lived.error();
  InstagramAccount out;
  out.access_token = Field(*long_lived, "access_token");
  int64_t expires_in = std::atoll(Field(*long_lived, "expires_in").c_str());
  if (out.access_token.empty() || expires_in <= 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "ig_exchange_token answered without an access_token and expires_in");
  }
  secrets.Add(out.access_token);
  out.expires_at_ms = NowMs() + expires_in * 1000;
  auto me = Call(client, "GET",
                 Query(graph + "/" + version + "/me",
                       {{"fields", "user_id,username"}, {"access_token", out.access_token}}),
                 "", "", secrets, "reading the Instagram account (/me)");
  if (!me) return me.error();
  out.ig_user_id = Field(*me, "user_id");
  out.username = Field(*me, "username");
  if (out.ig_user_id.empty()) {
    return Error(ErrorCode::kInvalidArgument, "/me answered without the account's user_id");
  }
  return out;
}

}  // namespace

int RunConnect(const ConnectOptions& o, std::istream& in, bool interactive, std::ostream& out,
               std::ostream& err) {
  auto usage = [&](const std::string& message) {
    err << "heraldctl connect: " << message << "\n";
    return kExitUsage;
  };
  auto refused = [&](const std::string& message) {
    err << "heraldctl connect: " << message << "\nNothing was written.\n";
    return kExitRefused;
  };

  const std::string platform = o.account.substr(0, o.account.find('/'));
  const std::string name = o.account.find('/') == std::string::npos
                               ? std::string()
                               : o.account.substr(o.account.find('/') + 1);
  if (name.empty() || !DefaultsFor(platform, false, "")) {
    return usage("'" + o.account + "' must be facebook/NAME, instagram/NAME or youtube/NAME");
  }
  if (!o.login.empty() && o.login != "facebook" && o.login != "instagram") {
    return usage("--login must be facebook or instagram, not '" + o.login + "'");
  }
  if (o.login == "instagram" && platform != "instagram") {
    return usage("--login instagram is for instagram accounts only");
  }

  // Configuration: the OAuth app and where the credentials go.
  std::optional<config::Config> config;
  std::error_code ec;
  if (o.config_explicit || fs::exists(o.config_file, ec)) {
    auto loaded = config::LoadConfig(o.config_file);
    if (!loaded) return usage(loaded.error().message());
    config = std::move(*loaded);
  }
  fs::path credentials_file = o.credentials_file;
  if (credentials_file.empty() && config) credentials_file = config->credentials_file;
  if (credentials_file.empty()) {
    return usage("no credentials file: set credentials_file in " + o.config_file.string() +
                 " or pass --credentials FILE");
  }
  std::string reference = o.account;
  const config::AccountConfig* account = config ? config->FindAccount(o.account) : nullptr;
  if (account && !account->credentials.empty()) reference = account->credentials;
  // The account's settings: which login (instagram) and Graph version.
  std::error_code json_error;
  value settings = account ? value::parse(account->settings_json, json_error) : value::object();
  const std::string login = !o.login.empty() ? o.login : Field(settings, "login");
  const bool instagram_login = platform == "instagram" && login == "instagram";
  std::string version = Field(settings, "api_version");
  if (version.empty()) version = connectors::kDefaultGraphVersion;
  const PlatformDefaults defaults = *DefaultsFor(platform, instagram_login, version);
  // Graph calls after the code exchange: the account's api_base, else the platform's host.
  std::string ig_graph = account && !account->api_base.empty()
                             ? account->api_base
                             : std::string("https://graph.instagram.com");
  while (!ig_graph.empty() && ig_graph.back() == '/') ig_graph.pop_back();

  config::OAuthAppConfig app;
  if (config) {
    // Instagram with Facebook Login is the Facebook app; Instagram Login is
    // the app's Instagram product, with its own id.
    for (const std::string& p :
         {platform, std::string(platform == "instagram" && !instagram_login ? "facebook" : "")}) {
      auto it = config->oauth.find(p);
      if (it == config->oauth.end()) continue;
      if (app.client_id.empty()) app.client_id = it->second.client_id;
      if (app.auth_url.empty()) app.auth_url = it->second.auth_url;
      if (app.token_url.empty()) app.token_url = it->second.token_url;
      if (app.scope.empty() && p == platform) app.scope = it->second.scope;
    }
  }
  const std::string auth_url = !o.auth_url.empty()     ? o.auth_url
                               : !app.auth_url.empty() ? app.auth_url
                                                       : defaults.auth_url;
  const std::string token_url = !o.token_url.empty()     ? o.token_url
                                : !app.token_url.empty() ? app.token_url
                                                         : defaults.token_url;
  const std::string scope = !o.scope.empty()     ? o.scope
                            : !app.scope.empty() ? app.scope
                                                 : defaults.scope;

  CreatedFile created;
  auto store = OpenCredentials(credentials_file, created);
  if (!store) return usage(store.error().message());
  std::string client_id = !o.client_id.empty() ? o.client_id : app.client_id;
  if (client_id.empty()) {
    if (auto stored = (*store)->Get(reference, "client_id")) client_id = *stored;
  }
  if (client_id.empty()) {
    return usage("no OAuth client id: pass --client-id or set platforms." + platform +
                 ".oauth.client_id in the configuration");
  }
  std::string client_secret;
  if (!o.client_secret_file.empty()) {
    auto read = ReadSecretFile(o.client_secret_file);
    if (!read) return usage(read.error().message());
    client_secret = *read;
  } else if (const char* env = std::getenv("HERALD_CLIENT_SECRET"); env && *env) {
    client_secret = env;
  } else if (auto stored = (*store)->Get(reference, "client_secret")) {
    client_secret = *stored;
  }
  if (client_secret.empty()) {
    return usage(
        "no OAuth client secret: pass --client-secret-file FILE, set HERALD_CLIENT_SECRET, "
        "or keep client_secret in the account's entry of " +
        credentials_file.string());
  }

  Secrets secrets;
  secrets.Add(client_secret);
  auto state = RandomUrlSafe(24);
  auto verifier = RandomUrlSafe(32);
  if (!state || !verifier) return refused("cannot draw random values for the OAuth state");
  secrets.Add(*verifier);

  auto redirect = LoopbackRedirect::Start(o.port, *state);
  if (!redirect) return refused(redirect.error().message());
  const std::string redirect_uri = (*redirect)->redirect_uri();

  const bool google = platform == "youtube";
  std::vector<std::pair<std::string, std::string>> params = {
      {"client_id", client_id},  {"redirect_uri", redirect_uri},
      {"response_type", "code"}, {"scope", scope},
      {"state", *state},         {"login_hint", o.login_hint}};
  if (google) {
    params.insert(params.end(), {{"code_challenge", CodeChallengeS256(*verifier)},
                                 {"code_challenge_method", "S256"},
                                 {"access_type", "offline"},
                                 {"prompt", "consent"}});
  }
  const std::string url = Query(auth_url, params);
  out << "Connecting " << o.account << " (credentials '" << reference << "' in "
      << credentials_file.string() << ").\n"
      << "Open this URL in a browser, sign in and allow access:\n\n  " << url << "\n\n"
      << "Waiting for the redirect to " << redirect_uri << " ...\n"
      << std::flush;
  if (o.open_browser) OpenInBrowser(url, err);

  auto code = (*redirect)->Wait(std::chrono::seconds(o.timeout_seconds));
  redirect->reset();
  if (!code) return refused(code.error().message());
  secrets.Add(*code);

  // Plain http only when the configured token endpoint is (the sandbox);
  // the Graph base for /me/accounts is derived from it.
  http::HttpClientOptions http_options;
  http_options.allow_plain_http = token_url.rfind("http://", 0) == 0;
  http::HttpClient client(http_options);
  std::map<std::string, std::string> keys = {{"client_id", client_id},
                                             {"client_secret", client_secret}};
  std::vector<std::string> notes;
  if (google) {
    auto token = Call(client, "POST", token_url,
                      Form({{"grant_type", "authorization_code"},
                            {"code", *code},
                            {"redirect_uri", redirect_uri},
                            {"client_id", client_id},
                            {"client_secret", client_secret},
                            {"code_verifier", *verifier}}),
                      "", secrets, "exchanging the authorization code");
    if (!token) return refused(token.error().message());
    std::string access = Field(*token, "access_token");
    std::string refresh = Field(*token, "refresh_token");
    int64_t expires_in = token->has_field("expires_in") && token->at("expires_in").is_number()
                             ? token->at("expires_in").as_number().to_int64()
                             : 0;
    if (access.empty()) return refused("the token endpoint answered without an access_token");
    if (refresh.empty()) {
      return refused(
          "the token endpoint returned no refresh_token (remove herald's access at "
          "https://myaccount.google.com/permissions, then connect again)");
    }
    keys["access_token"] = access;
    keys["refresh_token"] = refresh;
    if (expires_in > 0) keys["expires_at_ms"] = std::to_string(NowMs() + expires_in * 1000);
  } else if (instagram_login) {
    auto connected = InstagramLogin(client, token_url, ig_graph, version, client_id, client_secret,
                                    redirect_uri, *code, secrets);
    if (!connected) return refused(connected.error().message());
    keys["access_token"] = connected->access_token;
    keys["expires_at_ms"] = std::to_string(connected->expires_at_ms);
    out << "Instagram account: @" << connected->username << " (" << connected->ig_user_id << ")\n";
    notes.push_back("ig_user_id: \"" + connected->ig_user_id + "\"");
    notes.push_back("login: instagram");
  } else {
    const std::string suffix = "/oauth/access_token";
    std::string base = token_url.substr(0, token_url.find('?'));
    if (base.size() <= suffix.size() ||
        base.compare(base.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return usage(
          "the Facebook token_url must end in /oauth/access_token (the Graph API base is "
          "taken from it), not " +
          token_url);
    }
    const std::string graph_base = base.substr(0, base.size() - suffix.size());
    auto user = Call(client, "POST", token_url,
                     Form({{"client_id", client_id},
                           {"client_secret", client_secret},
                           {"redirect_uri", redirect_uri},
                           {"code", *code}}),
                     "", secrets, "exchanging the authorization code");
    if (!user) return refused(user.error().message());
    std::string short_lived = Field(*user, "access_token");
    if (short_lived.empty()) return refused("the token endpoint answered without an access_token");
    secrets.Add(short_lived);
    auto long_lived = Call(client, "POST", token_url,
                           Form({{"grant_type", "fb_exchange_token"},
                                 {"client_id", client_id},
                                 {"client_secret", client_secret},
                                 {"fb_exchange_token", short_lived}}),
                           "", secrets, "exchanging for a long-lived token (fb_exchange_token)");
    if (!long_lived) return refused(long_lived.error().message());
    std::string user_token = Field(*long_lived, "access_token");
    if (user_token.empty()) return refused("fb_exchange_token answered without an access_token");
    secrets.Add(user_token);
    auto pages = ListPages(client, graph_base, user_token, secrets);
    if (!pages) return refused(pages.error().message());
    auto page = PickPage(*pages, platform, o.page, in, interactive, out);
    if (!page) return refused(page.error().message());
    if (page->access_token.empty()) {
      return refused("/me/accounts gave no access_token for Page " + page->id +
                     " (the login lacks a Page permission)");
    }
    keys["access_token"] = page->access_token;
    // The Resumable Upload API's session wants a User token (Facebook videos).
    if (platform == "facebook") keys["user_access_token"] = user_token;
    if (platform == "instagram") {
      notes.push_back("ig_user_id: \"" + page->instagram_id + "\"");
    } else {
      notes.push_back("page_id: \"" + page->id + "\"");
    }
  }

  std::string durability;
  Status written = (*store)->ReplaceAccount(reference, keys, &durability);
  if (!written.ok()) return refused(written.error().message());
  if (!durability.empty()) err << "warning: " << durability << "\n";
  created.keep = true;
  out << "Connected " << o.account << ": wrote";
  for (const auto& [key, v] : keys) out << " " << key;
  out << " to '" << reference << "' in " << credentials_file.string() << " (mode 0600).\n";
  if (keys.count("refresh_token")) {
    out << "The access token is refreshed by heraldd with the refresh token.\n";
  } else if (instagram_login) {
    out << "The Instagram user token lasts 60 days; heraldd refreshes it while it is valid.\n";
  }
  if (!account) {
    out << "Add the account to " << (config ? config->source.string() : std::string("herald.yaml"))
        << ":\n\naccounts:\n  " << o.account << ":\n    credentials: " << reference << "\n";
    if (!notes.empty()) out << "    settings:\n";
    for (const std::string& n : notes) out << "      " << n << "\n";
  } else {
    for (const std::string& n : notes) {
      out << "Make sure settings of " << o.account << " in " << config->source.string() << " has "
          << n << "\n";
    }
  }
  if (account) {
    out << "A running heraldd uses the new credentials from its next request; no restart "
           "needed.\n";
  } else {
    out << "Restart heraldd (systemctl restart heraldd) so that it reads the new account.\n";
  }
  return kExitOk;
}

}  // namespace herald::ctl
