#pragma once
// Reads scenario JSON into a Scenario, rejecting anything wrong with one message that names the file
// and the field: "scenario.json: runs[1].lr: must be > 0, got -0.1".

#include "Scenario.h"

#include <cstddef>
#include <optional>
#include <string>

namespace gdviz {

// What a scenario file may ask for (README "Scenario files", "Limits"). Lengths count characters (code points,
// characterCount() in MessageText.h); a longer string is refused with its length, never echoed whole. The
// formula's limit is maxFormulaCharacters (Expression.h), the data's are in DataSet.h.
inline constexpr std::size_t maxScenarioRuns = 64;
/// A run's name: the run table, the legend and a CSV column show it whole.
inline constexpr std::size_t maxRunNameCharacters = 80;
/// "csv": a data file's path as written in the scenario.
inline constexpr std::size_t maxPathCharacters = 1024;
/// Every other string is a keyword ("kind", "optimizer", "lr": "recommended", ...): none is half as long.
inline constexpr std::size_t maxKeywordCharacters = 64;

/// Parses JSON text. fileLabel prefixes every message (the path as the user gave it); baseDir resolves
/// a data CSV path written relative to the scenario file. On failure returns nullopt and sets *error.
std::optional<Scenario> parseScenario(const std::string &json, const std::string &fileLabel,
                                      const std::string &baseDir, std::string *error);

/// Reads and parses a scenario file.
std::optional<Scenario> readScenario(const std::string &path, std::string *error);

} // namespace gdviz
