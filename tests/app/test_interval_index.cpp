// IntervalIndex and started_by (interval_index.h): the intervals covering a point,
// against a plain scan, on hand-made and random sets.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "interval_index.h"

using spindle::view::IntervalIndex;
using spindle::view::started_by;

namespace {

/// What stab must answer: every i with start <= t < end, ascending.
std::vector<std::uint32_t> scan(const std::vector<long>& starts, const std::vector<long>& ends,
                                long t) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < starts.size(); ++i)
        if (starts[i] <= t && t < ends[i]) out.push_back(static_cast<std::uint32_t>(i));
    return out;
}

std::vector<std::uint32_t> stab(const IntervalIndex<long>& index, long t) {
    std::vector<std::uint32_t> out;
    index.stab(t, out);
    return out;
}

}  // namespace

TEST_CASE("an interval covers its start, not its end", "[app][interval]") {
    // [0, 10), [5, 6), [5, 5) (empty), [7, 20)
    const IntervalIndex<long> index({0, 5, 5, 7}, {10, 6, 5, 20});
    CHECK(index.size() == 4);
    CHECK(stab(index, -1).empty());
    CHECK(stab(index, 0) == std::vector<std::uint32_t>{0});
    CHECK(stab(index, 5) == std::vector<std::uint32_t>{0, 1});
    CHECK(stab(index, 6) == std::vector<std::uint32_t>{0});
    CHECK(stab(index, 9) == std::vector<std::uint32_t>{0, 3});
    CHECK(stab(index, 10) == std::vector<std::uint32_t>{3});
    CHECK(stab(index, 20).empty());
    // Answers are appended.
    std::vector<std::uint32_t> out{99};
    index.stab(5, out);
    CHECK(out == std::vector<std::uint32_t>{99, 0, 1});
}

TEST_CASE("an empty index covers nothing", "[app][interval]") {
    const IntervalIndex<long> none;
    CHECK(none.size() == 0);
    CHECK(stab(none, 0).empty());
    const IntervalIndex<long> built({}, {});
    CHECK(stab(built, 0).empty());
}

TEST_CASE("stab finds what a scan finds, for random intervals", "[app][interval]") {
    std::mt19937 rng(2024);
    for (int round = 0; round < 200; ++round) {
        const std::size_t n = rng() % 70;
        std::vector<long> starts(n), ends(n);
        for (std::size_t i = 0; i < n; ++i)
            starts[i] = static_cast<long>(rng() % 100);
        std::sort(starts.begin(), starts.end());
        for (std::size_t i = 0; i < n; ++i)  // some empty, some long, some equal ends
            ends[i] = starts[i] + static_cast<long>(rng() % 4 == 0 ? 0 : rng() % 40);
        const IntervalIndex<long> index(starts, ends);
        for (long t = -2; t <= 142; ++t) {
            INFO("round " << round << ", t " << t);
            CHECK(stab(index, t) == scan(starts, ends, t));
        }
    }
}

TEST_CASE("started_by finds the latest item to start by a time", "[app][interval]") {
    struct Slice {
        long start;
        long end;
    };
    const std::vector<Slice> slices{{0, 3}, {3, 4}, {6, 9}, {6, 6}, {12, 15}};
    auto latest = [&](long t) { return started_by(slices, t, &Slice::start) - slices.begin(); };
    CHECK(latest(-1) == 0);  // none started yet
    CHECK(latest(0) == 1);
    CHECK(latest(3) == 2);
    CHECK(latest(5) == 2);  // slice 1 ended at 4: nothing covers 5
    CHECK(latest(6) == 4);  // both slices starting at 6 started
    CHECK(latest(100) == 5);
}
