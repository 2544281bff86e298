// The level-of-detail indexes a timeline frame jumps with (view::BlockMax, first_true,
// blocks() with a ReachIndex) answer exactly as the straightforward walk they replace:
// random arrays that grow, change their last item and drop it, as a live run's do.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "block_max.h"
#include "level_of_detail.h"
#include "run_model.h"

using namespace spindle;
using view::BlockMax;

namespace {

bool same_blocks(const std::vector<view::DrawBlock>& a, const std::vector<view::DrawBlock>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].x0 != b[i].x0 || a[i].x1 != b[i].x1 || a[i].first != b[i].first ||
            a[i].count != b[i].count)
            return false;
    return true;
}

/// Sorted, non-overlapping spans: runs of short spans with short gaps, now and then a
/// long one or a long gap, so every zoom has both merging runs and wide blocks.
std::vector<view::Span> random_spans(std::mt19937_64& rng, std::size_t n) {
    std::vector<view::Span> spans;
    view::Time t = 0;
    std::uniform_int_distribution<int> pick(0, 99);
    for (std::size_t i = 0; i < n; ++i) {
        const int r = pick(rng);
        t += r < 5 ? 50'000 + pick(rng) * 1000 : pick(rng) % 40;
        const view::Time len = r > 96 ? 20'000 + pick(rng) * 500 : pick(rng) % 60;
        spans.push_back(view::Span{t, t + len});
        t += len;
    }
    return spans;
}

}  // namespace

TEST_CASE("BlockMax answers as a walk over the array, while it grows, changes and shrinks",
          "[lod]") {
    std::mt19937_64 rng(7);
    std::vector<int> values;
    BlockMax<int> index;
    auto key = [&values](std::size_t i) { return values[i]; };
    std::uniform_int_distribution<int> value(0, 1000);
    for (int round = 0; round < 400; ++round) {
        // Grow by a few or many, change the last value, or drop it.
        const int op = value(rng) % 10;
        if (op < 6) {
            const int n = value(rng) % (round % 50 == 0 ? 900 : 40);
            for (int i = 0; i < n; ++i)
                values.push_back(value(rng) % 7 == 0 ? value(rng) : value(rng) % 50);
        } else if (op < 8 && !values.empty()) {
            values.back() = value(rng);
        } else if (!values.empty()) {
            values.pop_back();
        }
        index.update(values.size(), key);
        REQUIRE(index.indexed() <= values.size());
        for (int q = 0; q < 20; ++q) {
            const std::size_t n = values.size();
            std::size_t a = n ? static_cast<std::size_t>(value(rng)) * n / 1000 : 0;
            std::size_t b = n ? static_cast<std::size_t>(value(rng)) * n / 1000 : 0;
            if (a > b) std::swap(a, b);
            const int threshold = value(rng) % 3 == 0 ? value(rng) : 40 + value(rng) % 20;
            std::size_t expected = b;
            for (std::size_t j = a; j < b; ++j)
                if (values[j] >= threshold) {
                    expected = j;
                    break;
                }
            REQUIRE(index.first_reaching(a, b, threshold, key) == expected);
            int max = std::numeric_limits<int>::lowest();
            for (std::size_t j = a; j < b; ++j)
                max = std::max(max, values[j]);
            REQUIRE(index.max_in(a, b, key) == max);
        }
    }
    CHECK(index.indexed() > 1000);  // the levels were used, not only the per-item path
}

TEST_CASE("BlockMax keeps about two values per 16 items", "[lod]") {
    std::vector<std::int64_t> values(1 << 16, 1);
    BlockMax<std::int64_t> index;
    index.update(values.size(), [&](std::size_t i) { return values[i]; });
    CHECK(index.memory_bytes() <= values.size() / 16 * 2 * sizeof(std::int64_t) + 1024);
}

TEST_CASE("first_true finds the first true of a monotone predicate from any guess", "[lod]") {
    for (std::size_t n : {0u, 1u, 2u, 5u, 64u, 1000u})
        for (std::size_t from = 0; from <= n; from += std::max<std::size_t>(1, n / 7))
            for (std::size_t answer = from; answer <= n; answer += std::max<std::size_t>(1, n / 9))
                for (std::size_t guess : {0u, 1u, 3u, 17u, 500u, 5000u}) {
                    int probes = 0;
                    const std::size_t got = view::first_true(
                        from, n,
                        [&](std::size_t j) {
                            ++probes;
                            REQUIRE(j >= from);
                            REQUIRE(j < n);
                            return j >= answer;
                        },
                        guess);
                    REQUIRE(got == answer);
                    CHECK(probes <= 2 * 12 + 2);
                }
}

TEST_CASE("blocks() with a ReachIndex draws the blocks of the walk at every zoom", "[lod]") {
    std::mt19937_64 rng(11);
    const std::vector<view::Span> all = random_spans(rng, 20'000);
    view::ReachIndex<view::Span> index;
    std::uniform_real_distribution<double> unit(0, 1);
    // A live run: the array grows between frames, and its last span is still open.
    for (std::size_t n : {0u, 1u, 17u, 300u, 5000u, 20'000u}) {
        std::vector<view::Span> spans(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
        for (bool open : {true, false}) {
            if (open && !spans.empty()) spans.back().end = -1;  // as RunModel keeps an open one
            if (!open && n > 0) spans.back() = all[n - 1];
            const view::Time end = all.back().end;
            for (int frame = 0; frame < 60; ++frame) {
                const double zoom = std::pow(10.0, -5 * unit(rng));  // 1 .. 1e-5 of the run
                const auto span = std::max<view::Time>(static_cast<view::Time>(end * zoom), 100);
                const auto start = static_cast<view::Time>(unit(rng) * (end - span + 1));
                const view::TimeAxis axis(start, start + span, 300 + unit(rng) * 1700);
                for (double min_px : {1.0, 2.5}) {
                    const auto walked = view::blocks(spans, axis, min_px);
                    const auto jumped = view::blocks(spans, axis, min_px, &index.of(spans));
                    INFO("n " << n << " frame " << frame << " min_px " << min_px);
                    REQUIRE(same_blocks(walked, jumped));
                }
            }
        }
    }
    CHECK(index.memory_bytes() <= all.size() * 2);
}

TEST_CASE("blocks() with a ReachIndex is exact where spans are a pixel wide, give or take",
          "[lod]") {
    // Spans and gaps of exactly the threshold's length, a nanosecond under and over it.
    std::vector<view::Span> spans;
    view::Time t = 0;
    for (int i = 0; i < 5000; ++i) {
        const view::Time len = 999 + i % 3, gap = 1001 - i % 3;
        spans.push_back(view::Span{t, t + len});
        t += len + gap;
    }
    view::ReachIndex<view::Span> index;
    for (double width : {1000.0, 9999.0, 10000.0, 10001.0, 5000.0}) {
        const view::TimeAxis axis(0, 10'000'000, width);  // 1000 ns per pixel at 10000
        REQUIRE(same_blocks(view::blocks(spans, axis),
                            view::blocks(spans, axis, 1.0, &index.of(spans))));
    }
}
