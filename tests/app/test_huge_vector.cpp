// view::HugeVector: a std::vector's behaviour (order, copies, moves, resize,
// equality) on both sides of its move into a huge-page mapping, and growth there
// that keeps every item.
#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

#include "huge_vector.h"
#include "run_model.h"

using namespace spindle;
using view::HugeVector;

namespace {

struct Item {
    std::int64_t a = 0;
    std::uint32_t b = 0;
    friend bool operator==(const Item&, const Item&) = default;
};

/// Items past the mapping threshold several times over (about 12 MiB of 16-byte items).
constexpr std::size_t kMany = 6 * HugeVector<Item>::kMappedBytes / sizeof(Item) * 2;

bool holds_sequence(const HugeVector<Item>& v, std::size_t n) {
    if (v.size() != n) return false;
    for (std::size_t i = 0; i < n; ++i)
        if (v[i].a != static_cast<std::int64_t>(i) || v[i].b != static_cast<std::uint32_t>(i * 3))
            return false;
    return true;
}

}  // namespace

TEST_CASE("HugeVector appends in order across its move into a mapping and its growth") {
    HugeVector<Item> v;
    CHECK(v.empty());
    for (std::size_t i = 0; i < kMany; ++i) {
        if (i % 2)
            v.push_back(Item{static_cast<std::int64_t>(i), static_cast<std::uint32_t>(i * 3)});
        else
            v.emplace_back(static_cast<std::int64_t>(i), static_cast<std::uint32_t>(i * 3));
    }
    CHECK(holds_sequence(v, kMany));
    CHECK(v.capacity() >= v.size());
    CHECK(v.capacity() * sizeof(Item) >= HugeVector<Item>::kMappedBytes);
    CHECK(v.front().a == 0);
    CHECK(v.back().a == static_cast<std::int64_t>(kMany - 1));
    CHECK(v.rbegin()->a == static_cast<std::int64_t>(kMany - 1));
    CHECK(std::accumulate(v.begin(), v.end(), std::int64_t{0}, [](std::int64_t s, const Item& x) {
              return s + x.a;
          }) == static_cast<std::int64_t>(kMany * (kMany - 1) / 2));
    v.pop_back();
    CHECK(holds_sequence(v, kMany - 1));
    v.clear();
    CHECK(v.empty());
}

TEST_CASE("HugeVector copies, moves, resizes and compares like a std::vector") {
    for (const std::size_t n : {std::size_t{5}, kMany}) {
        HugeVector<Item> v;
        for (std::size_t i = 0; i < n; ++i)
            v.push_back(Item{static_cast<std::int64_t>(i), static_cast<std::uint32_t>(i * 3)});
        HugeVector<Item> copy = v;
        CHECK(copy == v);
        CHECK(copy.data() != v.data());
        copy[n / 2].b = 1;
        CHECK_FALSE(copy == v);

        HugeVector<Item> moved = std::move(copy);
        CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
        CHECK(moved.size() == n);
        HugeVector<Item> assigned;
        assigned = v;
        CHECK(assigned == v);
        assigned = std::move(moved);
        CHECK(assigned.size() == n);
        CHECK(assigned[n / 2].b == 1);

        v.resize(n + 3, Item{-1, 9});
        CHECK(v.size() == n + 3);
        CHECK(v[n + 2] == Item{-1, 9});
        CHECK(v[n - 1].a == static_cast<std::int64_t>(n - 1));
        v.resize(2);
        CHECK(v.size() == 2);
        CHECK(v[1] == Item{1, 3});

        const std::span<const Item> view = v;  // contiguous: read as a span
        CHECK(view.size() == 2);
        CHECK(view[1] == Item{1, 3});
    }
    const HugeVector<Item> listed{{1, 2}, {3, 4}};
    CHECK(listed.size() == 2);
    CHECK(listed[1] == Item{3, 4});
}

TEST_CASE("a model's spans survive being moved between std::vector slots (TaskInfo)") {
    std::vector<view::TaskInfo> tasks(1);
    for (int i = 0; i < 100'000; ++i)
        tasks[0].spans.push_back(view::TaskSpan{.start = i, .end = i + 1});
    tasks.resize(1000);  // reallocates: the TaskInfo moves, its spans with it
    REQUIRE(tasks[0].spans.size() == 100'000);
    CHECK(tasks[0].spans[99'999].start == 99'999);
    CHECK(tasks[999].spans.empty());
}
