// The Instagram plugin's exports: the connector class lives in
// instagram_connector.{h,cc}, which the unit tests link on their own.
#include <herald/plugin.hpp>

#include "instagram/instagram_connector.h"

HERALD_PLUGIN(herald::connectors::instagram::InstagramConnector)
