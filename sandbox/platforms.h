// The emulators' entry points, one per platform family. Each returns the
// response for a request already routed to it; all run with ctx.lock held.
#pragma once

#include <string>
#include <vector>

#include "sandbox/emulator.h"

namespace herald::sandbox {

// Graph API (Facebook Pages): `segments` without the version prefix.
HttpResponse HandleFacebook(const HttpRequest& request, EmulatorContext& ctx,
                            const std::vector<std::string>& segments, const std::string& version);
// Graph API Resumable Upload API: POST /vX/{app-id}/uploads and
// POST|GET /vX/upload:{session} (`segments` without the version prefix).
HttpResponse HandleResumableUpload(const HttpRequest& request, EmulatorContext& ctx,
                                   const std::vector<std::string>& segments);
// Graph API (Instagram content publishing).
HttpResponse HandleInstagram(const HttpRequest& request, EmulatorContext& ctx,
                             const std::vector<std::string>& segments, const std::string& version);
// YouTube Data API v3, including /upload/youtube/v3/....
HttpResponse HandleYouTube(const HttpRequest& request, EmulatorContext& ctx,
                           const std::vector<std::string>& segments);
// Google OAuth2 (/token, /o/oauth2/auth) and Facebook Login (/vX/dialog/oauth,
// /vX/oauth/access_token).
HttpResponse HandleGoogleOAuth(const HttpRequest& request, EmulatorContext& ctx,
                               const std::vector<std::string>& segments);
HttpResponse HandleFacebookOAuth(const HttpRequest& request, EmulatorContext& ctx,
                                 const std::vector<std::string>& segments);
// Business Login for Instagram (/oauth/authorize, /oauth/access_token) and
// graph.instagram.com's /access_token and /refresh_access_token, unversioned.
HttpResponse HandleInstagramLogin(const HttpRequest& request, EmulatorContext& ctx,
                                  const std::vector<std::string>& segments);
// GET /vX/me with an Instagram Login token: {id, user_id, username}.
HttpResponse InstagramLoginMe(const HttpRequest& request, EmulatorContext& ctx);
// /_sandbox/...: faults, request log, posts, health, thumbnails.
HttpResponse HandleAdmin(const HttpRequest& request, EmulatorContext& ctx,
                         const std::vector<std::string>& segments);

}  // namespace herald::sandbox
