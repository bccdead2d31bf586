#pragma once
// Duplicate keys in JSON text. QJsonDocument keeps the last of two equal keys without a word, so {"lr": -1,
// "lr": 0.001} would read as 0.001 whatever the author meant; the scenario reader refuses such a file instead,
// naming both places. Qt gives no positions for keys, so this scans the text itself.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gdviz {

/// A key written twice in one object.
struct DuplicateKey {
    std::string objectPath; // the object's path as the reader names fields: "runs[0]", "objective.data"; "" at the top
    std::string key;        // the key, its escapes decoded (UTF-8; a lone \uD800 surrogate as its 3-byte form)
    std::size_t firstOffset = 0, secondOffset = 0; // byte offsets of the two keys' opening quotes
};

/// The first key (in reading order of the second occurrence) that appears twice in the same object of json,
/// or nullopt when every object's keys differ. Keys are compared as JSON compares them, after decoding escapes:
/// "lr" and "l\u0072" are the same key. json must be text QJsonDocument::fromJson() accepted (this scan checks no
/// syntax); on other text the result names no real duplicate but the scan still ends, in one pass, without
/// recursion. A path names an object member's key with excerpt() (MessageText.h), so a path stays short.
std::optional<DuplicateKey> findDuplicateKey(std::string_view json);

/// Line and column (both from 1) of a byte offset in text, columns counted in characters as characterCount()
/// (MessageText.h) counts them. An offset past the end gives the position just after the last character.
struct TextPosition {
    std::size_t line = 1, column = 1;
};
TextPosition textPosition(std::string_view text, std::size_t offset);

} // namespace gdviz
