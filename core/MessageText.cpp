#include "MessageText.h"

#include <cstdint>

namespace gdviz {

namespace {

/// The well-formed UTF-8 sequence at text[i] (Unicode's table 3-7: no overlong forms, no surrogates, nothing
/// beyond U+10FFFF): its length, and its code point in *codePoint; 0 when the byte there starts no such sequence.
std::size_t decode(std::string_view text, std::size_t i, char32_t *codePoint)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        *codePoint = b0;
        return 1;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf; // the range of the second byte
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        length = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        length = 3;
        if (b0 == 0xe0)
            low = 0xa0; // below: overlong
        if (b0 == 0xed)
            high = 0x9f; // above: surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        length = 4;
        if (b0 == 0xf0)
            low = 0x90;
        if (b0 == 0xf4)
            high = 0x8f; // above: beyond U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    char32_t c = b0 & (0x7f >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (byte(i + k) & 0x3f);
    }
    *codePoint = c;
    return length;
}

/// Code points that print nothing yet reorder, join or break the text around them.
bool invisible(char32_t c)
{
    return (c >= 0x80 && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e)
           || (c >= 0x2060 && c <= 0x206f) || c == 0xfeff;
}

constexpr char hexDigits[] = "0123456789ABCDEF";

void appendByteEscape(std::string *out, unsigned char b)
{
    out->append("\\x");
    out->push_back(hexDigits[b >> 4]);
    out->push_back(hexDigits[b & 15]);
}

} // namespace

std::string excerpt(std::string_view text, std::size_t maxCharacters)
{
    std::string out;
    std::size_t characters = 0, i = 0;
    while (i < text.size()) {
        if (characters == maxCharacters)
            return out + "\u2026"; // "…": there is more
        ++characters;
        char32_t c = 0;
        const std::size_t length = decode(text, i, &c);
        if (length == 0) {
            appendByteEscape(&out, static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (c == '\n')
            out.append("\\n");
        else if (c == '\r')
            out.append("\\r");
        else if (c == '\t')
            out.append("\\t");
        else if (c < 0x20 || c == 0x7f)
            appendByteEscape(&out, static_cast<unsigned char>(c));
        else if (invisible(c)) {
            out.append("\\u{");
            for (int shift = c > 0xffff ? 16 : 12; shift >= 0; shift -= 4)
                out.push_back(hexDigits[(c >> shift) & 15]);
            out.push_back('}');
        } else
            out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::string oneLine(std::string_view text)
{
    return excerpt(text, std::string_view::npos);
}

std::string quotedExcerpt(std::string_view text, std::size_t maxCharacters)
{
    return "'" + excerpt(text, maxCharacters) + "'";
}

std::size_t characterCount(std::string_view text)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        char32_t c = 0;
        const std::size_t length = decode(text, i, &c);
        i += length == 0 ? 1 : length;
    }
    return count;
}

std::string groupedNumber(std::size_t n)
{
    std::string digits = std::to_string(n);
    for (std::size_t i = digits.size(); i > 3; i -= 3)
        digits.insert(i - 3, 1, ',');
    return digits;
}

std::string lengthProblem(std::string_view text, std::size_t maxCharacters)
{
    // Bytes bound characters from above: most text is short, and counting is then not needed.
    if (text.size() <= maxCharacters)
        return {};
    const std::size_t count = characterCount(text);
    if (count <= maxCharacters)
        return {};
    return groupedNumber(count) + " characters, at most " + groupedNumber(maxCharacters);
}

} // namespace gdviz
