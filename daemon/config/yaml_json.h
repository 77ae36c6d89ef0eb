// Converts a YAML node to JSON text (for an account's free-form `settings`,
// handed to the connector as JSON). Internal to herald_config, which alone sees
// yaml-cpp. Plain scalars that read as JSON numbers, true/false or null keep
// that type; quoted scalars are always strings. Thread-safe (no state).
#pragma once

#include <string>

namespace YAML {
class Node;
}

namespace herald::config {

std::string YamlToJson(const YAML::Node& node);

}  // namespace herald::config
