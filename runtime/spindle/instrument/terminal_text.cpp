#include "spindle/instrument/terminal_text.h"

namespace spindle {

namespace {

bool continuation(std::string_view s, std::size_t i, unsigned char lo = 0x80,
                  unsigned char hi = 0xBF) {
    if (i >= s.size()) return false;
    const auto c = static_cast<unsigned char>(s[i]);
    return c >= lo && c <= hi;
}

}  // namespace

std::size_t printable_length(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return c >= 0x20 && c != 0x7F ? 1 : 0;
    // Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
    if (c == 0xC2) return continuation(s, i + 1, 0xA0, 0xBF) ? 2 : 0;  // U+0080–U+009F: C1
    if (c >= 0xC3 && c <= 0xDF) return continuation(s, i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
        return continuation(s, i + 1, lo, hi) && continuation(s, i + 2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
        return continuation(s, i + 1, lo, hi) && continuation(s, i + 2) && continuation(s, i + 3)
                   ? 4
                   : 0;
    }
    return 0;
}

void append_terminal_safe(std::string& out, std::string_view text, bool keep_lines) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.reserve(out.size() + text.size());
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (keep_lines && (c == '\n' || c == '\t')) {
            out += c;
            ++i;
            continue;
        }
        if (const std::size_t n = printable_length(text, i)) {
            out.append(text, i, n);
            i += n;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 0xF];
        ++i;
    }
}

void escape_json_controls(std::string& json) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto needs = [](std::string_view s, std::size_t i) {
        const auto c = static_cast<unsigned char>(s[i]);
        return c == 0x7F ||
               (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                static_cast<unsigned char>(s[i + 1]) <= 0x9F);
    };
    std::size_t i = 0;
    while (i < json.size() && !needs(json, i))
        ++i;
    if (i == json.size()) return;  // the usual case: nothing to copy
    std::string out(json, 0, i);
    for (; i < json.size(); ++i) {
        if (!needs(json, i)) {
            out += json[i];
            continue;
        }
        const unsigned code =
            json[i] == 0x7F ? 0x7Fu : static_cast<unsigned char>(json[++i]);  // C2 xx: U+00xx
        out += "\\u00";
        out += kHex[code >> 4];
        out += kHex[code & 0xF];
    }
    json = std::move(out);
}

std::string terminal_safe(std::string_view text) {
    std::string out;
    append_terminal_safe(out, text);
    return out;
}

std::string one_line(std::string_view name) {
    std::string out;
    append_terminal_safe(out, name, false);
    return out;
}

}  // namespace spindle
