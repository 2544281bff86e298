// Text from a script or trace printed on a terminal: what a terminal would obey is
// shown as \xHH instead, everything printable (any language) stays as written.
#include <catch2/catch.hpp>

#include <string>

#include "spindle/instrument/terminal_text.h"

using spindle::escape_json_controls;
using spindle::one_line;
using spindle::printable_length;
using spindle::terminal_safe;

TEST_CASE("terminal text: escape sequences are shown, not obeyed") {
    CHECK(terminal_safe("clear \x1b[2J now") == R"(clear \x1b[2J now)");
    // Window title and clipboard (OSC ... BEL), a carriage return that overwrites a line.
    CHECK(terminal_safe("\x1b]0;title\x07") == R"(\x1b]0;title\x07)");
    CHECK(terminal_safe("\x1b]52;c;aGk=\x07") == R"(\x1b]52;c;aGk=\x07)");
    CHECK(terminal_safe("ok\rFAIL") == R"(ok\x0dFAIL)");
    CHECK(terminal_safe(std::string("nul\0del\x7f", 8)) == R"(nul\x00del\x7f)");
    // The C1 controls in UTF-8 (U+009B is a one-character CSI for some terminals).
    CHECK(terminal_safe("\xc2\x9b"
                        "31m") == R"(\xc2\x9b31m)");
    CHECK(terminal_safe("\xc2\x85") == R"(\xc2\x85)");
}

TEST_CASE("terminal text: newlines, tabs and every printable character stay") {
    CHECK(terminal_safe("a\tb\nc") == "a\tb\nc");
    const std::string words = "caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac \xe6\x97\xa5 \xf0\x9f\x98\x80 ~";
    CHECK(terminal_safe(words) == words);
    CHECK(terminal_safe("") == "");
    CHECK(printable_length("\xc2\xa0", 0) == 2);          // U+00A0, the first after the C1 block
    CHECK(printable_length("\xf4\x8f\xbf\xbf", 0) == 4);  // U+10FFFF
}

TEST_CASE("terminal text: bytes that are not UTF-8 are escaped one by one") {
    CHECK(terminal_safe("\xff") == R"(\xff)");
    CHECK(terminal_safe("x\xe2\x82") == R"(x\xe2\x82)");                // cut short
    CHECK(terminal_safe("\xc0\xaf") == R"(\xc0\xaf)");                  // overlong '/'
    CHECK(terminal_safe("\xed\xa0\x80") == R"(\xed\xa0\x80)");          // a surrogate
    CHECK(terminal_safe("\xf4\x90\x80\x80") == R"(\xf4\x90\x80\x80)");  // past U+10FFFF
    CHECK(terminal_safe("\x80z") == R"(\x80z)");                        // a lone continuation
}

TEST_CASE("terminal text: JSON keeps its meaning with DEL and C1 controls escaped") {
    auto escaped = [](std::string json) {
        escape_json_controls(json);
        return json;
    };
    CHECK(escaped(R"({"a":"x"})") == R"({"a":"x"})");
    CHECK(escaped("{\"a\":\"\xc2\x9b[2J\x7f\"}") == R"({"a":"\u009b[2J\u007f"})");
    // Other two-byte characters, and U+00A0 just past the C1 block, stay as they are.
    CHECK(escaped("[\"\xc3\xa9\xc2\xa0\xc2\x80\"]") == "[\"\xc3\xa9\xc2\xa0\\u0080\"]");
}

TEST_CASE("terminal text: a name stays on its line") {
    CHECK(one_line("worker\n  cycle: fake") == R"(worker\x0a  cycle: fake)");
    CHECK(one_line("a\tb\x1b[2J") == R"(a\x09b\x1b[2J)");
    CHECK(one_line("caf\xc3\xa9 #3") == "caf\xc3\xa9 #3");
}
