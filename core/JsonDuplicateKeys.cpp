#include "JsonDuplicateKeys.h"

#include "MessageText.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace gdviz {

namespace {

void appendUtf8(std::string *out, char32_t c)
{
    if (c < 0x80) {
        out->push_back(char(c));
    } else if (c < 0x800) {
        out->push_back(char(0xc0 | (c >> 6)));
        out->push_back(char(0x80 | (c & 0x3f)));
    } else if (c < 0x10000) { // lone surrogates too, so that two different ones stay different
        out->push_back(char(0xe0 | (c >> 12)));
        out->push_back(char(0x80 | ((c >> 6) & 0x3f)));
        out->push_back(char(0x80 | (c & 0x3f)));
    } else {
        out->push_back(char(0xf0 | (c >> 18)));
        out->push_back(char(0x80 | ((c >> 12) & 0x3f)));
        out->push_back(char(0x80 | ((c >> 6) & 0x3f)));
        out->push_back(char(0x80 | (c & 0x3f)));
    }
}

/// The four hex digits at json[i], or -1.
long hex4(std::string_view json, std::size_t i)
{
    if (i + 4 > json.size())
        return -1;
    long value = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
        const char c = json[k];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

/// The offset just past the closing quote of the string whose opening quote is json[start] (json.size() when it has
/// none), without decoding it: a string value may be megabytes long.
std::size_t skipString(std::string_view json, std::size_t start)
{
    for (std::size_t i = start + 1; i < json.size(); ++i) {
        if (json[i] == '"')
            return i + 1;
        if (json[i] == '\\')
            ++i; // the escaped character, which may be a quote
    }
    return json.size();
}

/// Decodes the string whose opening quote is json[start] into *out; returns the offset just past its closing quote
/// (json.size() when it has none).
std::size_t readString(std::string_view json, std::size_t start, std::string *out)
{
    out->clear();
    std::size_t i = start + 1;
    while (i < json.size()) {
        const char c = json[i];
        if (c == '"')
            return i + 1;
        if (c != '\\') {
            out->push_back(c);
            ++i;
            continue;
        }
        if (i + 1 >= json.size())
            return json.size();
        const char e = json[i + 1];
        i += 2;
        switch (e) {
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
            const long unit = hex4(json, i);
            if (unit < 0) { // not JSON: keep the text, so that the scan goes on
                out->append("\\u");
                break;
            }
            i += 4;
            char32_t c32 = char32_t(unit);
            if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < json.size() && json[i] == '\\' && json[i + 1] == 'u') {
                const long low = hex4(json, i + 2);
                if (low >= 0xdc00 && low <= 0xdfff) {
                    c32 = 0x10000 + ((char32_t(unit) - 0xd800) << 10) + (char32_t(low) - 0xdc00);
                    i += 6;
                }
            }
            appendUtf8(out, c32);
            break;
        }
        default: out->push_back(e); break; // \" \\ \/
        }
    }
    return json.size();
}

struct Container {
    bool object = false;
    bool expectingKey = true;   // object: the next string is a key
    std::size_t index = 0;      // array: the element being read
    std::string memberKey;      // object: the key of the value being read
    std::unordered_map<std::string, std::size_t> keys; // object: each key and where it was first written
};

std::string pathOf(const std::vector<Container> &stack)
{
    std::string path;
    for (std::size_t k = 0; k + 1 < stack.size(); ++k) {
        const Container &parent = stack[k];
        if (parent.object)
            path += (path.empty() ? "" : ".") + excerpt(parent.memberKey);
        else
            path += "[" + std::to_string(parent.index) + "]";
    }
    return path;
}

} // namespace

std::optional<DuplicateKey> findDuplicateKey(std::string_view json)
{
    std::vector<Container> stack;
    std::string text;
    for (std::size_t i = 0; i < json.size();) {
        switch (json[i]) {
        case '"': {
            if (stack.empty() || !stack.back().object || !stack.back().expectingKey) { // a value
                i = skipString(json, i);
                continue;
            }
            const std::size_t end = readString(json, i, &text);
            Container &object = stack.back();
            const auto [first, inserted] = object.keys.emplace(text, i);
            if (!inserted)
                return DuplicateKey{pathOf(stack), text, first->second, i};
            object.memberKey = text;
            object.expectingKey = false;
            i = end;
            continue;
        }
        case '{':
        case '[':
            stack.emplace_back().object = json[i] == '{';
            break;
        case '}':
        case ']':
            if (!stack.empty())
                stack.pop_back();
            break;
        case ',':
            if (!stack.empty()) {
                if (stack.back().object)
                    stack.back().expectingKey = true;
                else
                    ++stack.back().index;
            }
            break;
        default: break;
        }
        ++i;
    }
    return std::nullopt;
}

TextPosition textPosition(std::string_view text, std::size_t offset)
{
    TextPosition p;
    std::size_t lineStart = 0;
    const std::size_t end = std::min(offset, text.size());
    for (std::size_t i = 0; i < end; ++i)
        if (text[i] == '\n') {
            ++p.line;
            lineStart = i + 1;
        }
    p.column = characterCount(text.substr(lineStart, end - lineStart)) + 1;
    return p;
}

} // namespace gdviz
