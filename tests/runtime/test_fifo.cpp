// Fifo: the ring buffer under channel buffers keeps order across wrap-around
// and growth, and destroys exactly what it holds.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "spindle/core/fifo.h"

using spindle::Fifo;

TEST_CASE("fifo keeps order while it wraps around and grows") {
    Fifo<std::string> f;
    int next_in = 0, next_out = 0;
    // Drain a little less than is added each round, so the ring wraps many
    // times and grows while its head is in the middle of the array.
    for (int round = 0; round < 50; ++round) {
        for (int i = 0; i < 7; ++i)
            f.emplace_back(std::to_string(next_in++));
        for (int i = 0; i < 5; ++i) {
            REQUIRE(f.front() == std::to_string(next_out++));
            f.pop_front();
        }
    }
    CHECK(f.size() == 100);
    while (!f.empty()) {
        REQUIRE(f.front() == std::to_string(next_out++));
        f.pop_front();
    }
    CHECK(next_out == next_in);
}

TEST_CASE("fifo destroys what it holds on pop, clear and destruction") {
    auto token = std::make_shared<int>(7);
    {
        Fifo<std::shared_ptr<int>> f;
        for (int i = 0; i < 20; ++i)
            f.emplace_back(token);
        CHECK(token.use_count() == 21);
        f.pop_front();
        CHECK(token.use_count() == 20);
        f.clear();
        CHECK(token.use_count() == 1);
        CHECK(f.empty());
        for (int i = 0; i < 3; ++i)
            f.emplace_back(token);  // reusable after clear
        CHECK(f.front() == token);
    }
    CHECK(token.use_count() == 1);
}
