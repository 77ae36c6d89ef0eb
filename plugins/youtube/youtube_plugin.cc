// The YouTube plugin's exports: the connector class lives in
// youtube_connector.{h,cc} and its parts (herald_youtube_impl), which the unit
// tests link on their own.
#include <herald/plugin.hpp>

#include "youtube/youtube_connector.h"

HERALD_PLUGIN(herald::connectors::youtube::YouTubeConnector)
