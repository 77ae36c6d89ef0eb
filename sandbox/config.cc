#include "sandbox/config.h"

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace herald::sandbox {

const char* PlatformName(Platform platform) {
  switch (platform) {
    case Platform::kFacebook:
      return "facebook";
    case Platform::kInstagram:
      return "instagram";
    case Platform::kYouTube:
      return "youtube";
  }
  return "unknown";
}

const AccountConfig* SandboxConfig::FindAccount(const std::string& id) const {
  for (const AccountConfig& account : accounts) {
    if (account.id == id) return &account;
  }
  return nullptr;
}

namespace {

Error ConfigError(const YAML::Node& node, const std::string& message) {
  std::string where = node.Mark().is_null() ? std::string("config")
                                            : "line " + std::to_string(node.Mark().line + 1);
  return Error(ErrorCode::kInvalidArgument, where + ": " + message);
}

template <typename T>
Status ReadScalar(const YAML::Node& parent, const char* key, T& out) {
  YAML::Node node = parent[key];
  if (!node) return Status::Ok();
  try {
    out = node.as<T>();
  } catch (const YAML::Exception&) {
    return ConfigError(node, std::string("'") + key + "' has the wrong type");
  }
  return Status::Ok();
}

Result<AccountConfig> ParseAccount(const YAML::Node& node) {
  AccountConfig account;
  if (!node.IsMap()) return ConfigError(node, "an account must be a mapping");
  std::string platform;
  if (Status s = ReadScalar(node, "platform", platform); !s) return s.error();
  if (platform == "facebook") {
    account.platform = Platform::kFacebook;
  } else if (platform == "instagram") {
    account.platform = Platform::kInstagram;
  } else if (platform == "youtube") {
    account.platform = Platform::kYouTube;
  } else {
    return ConfigError(node,
                       "platform must be facebook, instagram or youtube, not '" + platform + "'");
  }
  if (Status s = ReadScalar(node, "id", account.id); !s) return s.error();
  if (Status s = ReadScalar(node, "name", account.name); !s) return s.error();
  if (account.id.empty()) return ConfigError(node, "an account needs an id");
  if (account.name.empty()) account.name = account.id;
  if (YAML::Node tokens = node["tokens"]) {
    if (!tokens.IsSequence()) return ConfigError(tokens, "'tokens' must be a list");
    for (const YAML::Node& token : tokens) {
      TokenConfig config;
      if (token.IsScalar()) {
        config.value = token.as<std::string>();
      } else {
        std::string status = "valid";
        if (Status s = ReadScalar(token, "value", config.value); !s) return s.error();
        if (Status s = ReadScalar(token, "status", status); !s) return s.error();
        if (status != "valid" && status != "expired") {
          return ConfigError(token, "token status must be valid or expired");
        }
        config.expired = status == "expired";
        std::string login;
        if (Status s = ReadScalar(token, "login", login); !s) return s.error();
        if (!login.empty() && login != "instagram" && login != "facebook") {
          return ConfigError(token, "token login must be facebook or instagram");
        }
        config.instagram_login = login == "instagram";
      }
      if (config.value.empty()) return ConfigError(token, "a token needs a value");
      account.tokens.push_back(config);
    }
  }
  if (YAML::Node refresh = node["refresh_tokens"]) {
    if (!refresh.IsSequence()) return ConfigError(refresh, "'refresh_tokens' must be a list");
    for (const YAML::Node& token : refresh)
      account.refresh_tokens.push_back(token.as<std::string>());
  }
  return account;
}

}  // namespace

Result<SandboxConfig> ParseConfig(const std::string& yaml_text) {
  SandboxConfig config;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kInvalidArgument,
                 "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) return Error(ErrorCode::kInvalidArgument, "the config must be a mapping");
  try {
    if (Status s = ReadScalar(root, "seed", config.seed); !s) return s.error();
    if (YAML::Node p = root["processing"]) {
      if (Status s =
              ReadScalar(p, "instagram_container_seconds", config.instagram_container_seconds);
          !s)
        return s.error();
      if (Status s = ReadScalar(p, "instagram_container_expiry_hours",
                                config.instagram_container_expiry_hours);
          !s)
        return s.error();
      if (Status s = ReadScalar(p, "youtube_processing_seconds", config.youtube_processing_seconds);
          !s)
        return s.error();
    }
    if (YAML::Node r = root["rate_limits"]) {
      if (Status s = ReadScalar(r, "graph_calls_per_hour", config.graph_calls_per_hour); !s)
        return s.error();
      if (Status s = ReadScalar(r, "instagram_posts_per_day", config.instagram_posts_per_day); !s)
        return s.error();
      if (Status s =
              ReadScalar(r, "youtube_quota_units_per_day", config.youtube_quota_units_per_day);
          !s)
        return s.error();
      if (Status s = ReadScalar(r, "youtube_uploads_per_day", config.youtube_uploads_per_day); !s)
        return s.error();
    }
    if (YAML::Node e = root["engagement"]) {
      if (Status s = ReadScalar(e, "likes_per_minute", config.likes_per_minute); !s)
        return s.error();
      if (Status s = ReadScalar(e, "comments_per_minute", config.comments_per_minute); !s)
        return s.error();
      if (Status s = ReadScalar(e, "shares_per_minute", config.shares_per_minute); !s)
        return s.error();
      if (Status s = ReadScalar(e, "views_per_minute", config.views_per_minute); !s)
        return s.error();
    }
    if (YAML::Node o = root["oauth"]) {
      if (Status s = ReadScalar(o, "access_token_seconds", config.access_token_seconds); !s)
        return s.error();
      if (YAML::Node clients = o["clients"]) {
        for (const YAML::Node& client : clients) {
          OAuthClientConfig c;
          if (Status s = ReadScalar(client, "client_id", c.client_id); !s) return s.error();
          if (Status s = ReadScalar(client, "client_secret", c.client_secret); !s) return s.error();
          config.oauth_clients.push_back(c);
        }
      }
    }
    YAML::Node accounts = root["accounts"];
    if (!accounts || !accounts.IsSequence() || accounts.size() == 0) {
      return ConfigError(root, "'accounts' must be a non-empty list");
    }
    for (const YAML::Node& node : accounts) {
      Result<AccountConfig> account = ParseAccount(node);
      if (!account) return account.error();
      if (config.FindAccount(account->id)) {
        return ConfigError(node, "account id '" + account->id + "' appears twice");
      }
      config.accounts.push_back(std::move(account).value());
    }
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kInvalidArgument,
                 "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (config.instagram_container_seconds < 0 || config.youtube_processing_seconds < 0) {
    return Error(ErrorCode::kInvalidArgument, "processing delays cannot be negative");
  }
  return config;
}

Result<SandboxConfig> LoadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  Result<SandboxConfig> config = ParseConfig(text.str());
  if (!config) return Error(config.error().code(), path + ": " + config.error().message());
  return config;
}

}  // namespace herald::sandbox
