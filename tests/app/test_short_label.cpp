// Short labels: siblings stay tell-apart-able when squeezed (the tail kept whole,
// the beginning elided), measured with a fixed advance per character.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "short_label.h"

using namespace spindle::view;

namespace {

/// 7 px per character (the ellipsis is one character).
double seven_px(std::string_view s) {
    double chars = 0;
    for (char c : s)
        chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return 7 * chars;
}

std::string fit(std::string_view name, std::size_t tail, double width) {
    return short_label(name, tail, width, seven_px);
}

}  // namespace

TEST_CASE("tails: where siblings part, else the last word or number", "[app][label]") {
    const std::vector<std::string> pool{"main",     "producer", "worker 1", "worker 2",
                                        "worker 3", "worker 4", "collector"};
    const auto tails = label_tails(pool);
    REQUIRE(tails.size() == pool.size());
    CHECK(tails[0] == 0);  // "main": nothing to keep whole
    CHECK(tails[1] == 0);  // "producer" shares no beginning and has one word
    for (std::size_t i = 2; i <= 5; ++i)
        CHECK(pool[i].substr(tails[i]) == std::to_string(i - 1));
    CHECK(tails[6] == 0);

    const std::vector<std::string> deadlock{"main", "transfer a->b", "transfer b->a"};
    const auto d = label_tails(deadlock);
    CHECK(deadlock[1].substr(d[1]) == "a->b");
    CHECK(deadlock[2].substr(d[2]) == "b->a");

    // A number that grows a digit, letters against digits, a lone name's last word.
    const std::vector<std::string> more{"handler 1", "handler 10", "job12",
                                        "job13",     "job queue",  "reader"};
    const auto m = label_tails(more);
    CHECK(more[0].substr(m[0]) == "1");
    CHECK(more[1].substr(m[1]) == "10");
    CHECK(more[2].substr(m[2]) == "12");
    CHECK(more[3].substr(m[3]) == "13");
    CHECK(more[4].substr(m[4]) == "queue");  // parts from "job12" at the first word
    CHECK(m[5] == 0);
}

TEST_CASE("a short label keeps the tail and elides the beginning", "[app][label]") {
    // "worker 3" is 8 characters (56 px).
    CHECK(fit("worker 3", 7, 56) == "worker 3");  // fits: unchanged
    CHECK(fit("worker 3", 7, 55) == "worke…3");
    CHECK(fit("worker 3", 7, 30) == "wo…3");
    CHECK(fit("worker 3", 7, 21) == "w…3");
    CHECK(fit("worker 3", 7, 20) == "…3");
    CHECK(fit("worker 3", 7, 13) == "");  // not even "…3"
    // Without a tail, the name is cut on the right, keeping two characters at least.
    CHECK(fit("producer", 0, 30) == "pro…");
    CHECK(fit("producer", 0, 21) == "pr…");
    CHECK(fit("producer", 0, 20) == "");
    // The deadlock's transfers stay apart.
    CHECK(fit("transfer b->a", 9, 70) == "trans…b->a");
    CHECK(fit("transfer a->b", 9, 70) == "trans…a->b");
}

TEST_CASE("a short label never cuts a character in two", "[app][label]") {
    const std::string name = "wörker ü";  // ö and ü are two bytes each
    const auto tails = label_tails({name, "wörker ä"});
    REQUIRE(name.substr(tails[0]) == "ü");
    CHECK(short_label(name, tails[0], 28, seven_px) == "wö…ü");
    CHECK(short_label("größer", 0, 28, seven_px) == "grö…");
}
