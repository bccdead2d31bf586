#pragma once
// User input quoted in messages people read (stderr, the banner, the formula box): a short excerpt with every
// invisible byte made visible, so that a message stays one short line whatever a file holds. Every message that
// quotes what a user wrote (scenario reader, CSV reader, formula errors) goes through excerpt() or quotedExcerpt().

#include <cstddef>
#include <string>
#include <string_view>

namespace gdviz {

/// How many characters of user input a message quotes before cutting it with "…".
inline constexpr std::size_t excerptCharacters = 40;

/// text made safe and short for a message: at most maxCharacters characters (Unicode code points, an invalid byte
/// counting as one), then "…" when there was more. Printable characters stay as they are (UTF-8 included, and the
/// backslash, so that a Windows path reads as written); these are escaped: \n, \r, \t, other ASCII controls and
/// DEL as \xNN, each byte of invalid UTF-8 (a stray continuation byte, an overlong form, a surrogate, a sequence
/// cut short) as \xNN, and the invisible code points that reorder or break a line (C1 controls U+0080-U+009F,
/// U+200B-U+200F, U+2028-U+202E, U+2060-U+206F, U+FEFF) as \u{XXXX}. The result is valid UTF-8 with no control
/// character.
std::string excerpt(std::string_view text, std::size_t maxCharacters = excerptCharacters);

/// text as one line for a terminal or a log: escaped as excerpt() escapes it, nothing cut. For whole messages
/// that quote a path or an argument as it was given (a file name may hold a newline or an escape sequence).
std::string oneLine(std::string_view text);

/// excerpt() between single quotes: 'abc', 'aaaa…'.
std::string quotedExcerpt(std::string_view text, std::size_t maxCharacters = excerptCharacters);

/// The number of characters in text as excerpt() counts them: code points, an invalid byte counting as one.
/// This is the unit of every length limit on user input (names, formulas, strings in a scenario file).
std::size_t characterCount(std::string_view text);

/// n with a comma every three digits, as messages write counts: 780000 -> "780,000".
std::string groupedNumber(std::size_t n);

/// The message of a length limit: "780,000 characters, at most 80". Empty when text has at most maxCharacters
/// characters.
std::string lengthProblem(std::string_view text, std::size_t maxCharacters);

} // namespace gdviz
