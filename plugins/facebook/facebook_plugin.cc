// The Facebook Page plugin's exports: the connector class lives in
// facebook_connector.{h,cc}, which the unit tests link on their own.
#include <herald/plugin.hpp>

#include "facebook/facebook_connector.h"

HERALD_PLUGIN(herald::connectors::facebook::FacebookConnector)
