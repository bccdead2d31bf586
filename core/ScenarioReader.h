#pragma once
// Reads scenario JSON into a Scenario, rejecting anything wrong with one message that names the file
// and the field: "scenario.json: runs[1].lr: must be > 0, got -0.1".

#include "Scenario.h"

#include <optional>
#include <string>

namespace gdviz {

/// Parses JSON text. fileLabel prefixes every message (the path as the user gave it); baseDir resolves
/// a data CSV path written relative to the scenario file. On failure returns nullopt and sets *error.
std::optional<Scenario> parseScenario(const std::string &json, const std::string &fileLabel,
                                      const std::string &baseDir, std::string *error);

/// Reads and parses a scenario file.
std::optional<Scenario> readScenario(const std::string &path, std::string *error);

} // namespace gdviz
