#pragma once
// Level of detail for timeline lanes: what to draw for the slices visible in a
// TimeAxis, merging whatever is narrower than a pixel (Tracy's rule: never draw
// what is smaller than a pixel). Pure functions over sorted spans
// (any contiguous array of them: std::vector, HugeVector).
//
// With a BlockMax of span_reach() over the spans (the lanes keep one, up to date
// with the array they paint), blocks() jumps over each run of spans that merge into
// one block instead of visiting them: a frame costs O(blocks · log n), not O(spans
// in view), and draws exactly the same blocks (tests/app/test_level_of_detail.cpp).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "block_max.h"
#include "time_axis.h"

namespace spindle::view {

/// One rectangle to paint: a single slice, or several merged ones (`count` > 1).
struct DrawBlock {
    double x0 = 0;
    double x1 = 0;
    std::uint32_t first = 0;  ///< index of the first slice it covers
    std::uint32_t count = 0;  ///< slices merged into it
};

/// Index of the first span whose end is after `t` (spans sorted by start, non-overlapping).
template <class Spans>
std::size_t first_visible(const Spans& spans, std::int64_t t) {
    auto it =
        std::partition_point(spans.begin(), spans.end(), [t](const auto& s) { return s.end <= t; });
    return static_cast<std::size_t>(it - spans.begin());
}

/// The first j in [from, limit) where `pred(j)` holds, for a predicate that is false
/// then true over that range (limit if it never holds). A galloping search from
/// from + guess (backwards when the answer is before it): O(log e) for an answer e
/// items away from the guess.
template <class Pred>
std::size_t first_true(std::size_t from, std::size_t limit, Pred pred, std::size_t guess = 0) {
    if (from >= limit) return limit;
    const std::size_t at = std::min(from + guess, limit - 1);
    std::size_t lo = 0, hi = 0;  // pred is false on [from, lo) and true at hi (or hi == limit)
    if (pred(at)) {
        lo = from;
        hi = at;
        for (std::size_t step = 1; hi > lo; step *= 2) {
            const std::size_t p = hi - std::min(step, hi - lo);
            if (!pred(p)) {
                lo = p + 1;
                break;
            }
            hi = p;
        }
    } else {
        lo = hi = at + 1;
        for (std::size_t step = 1; hi < limit && !pred(hi); step *= 2) {
            lo = hi + 1;
            hi = std::min(limit, hi + step);
        }
    }
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (pred(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/// How far span i reaches: the longer of its length and the gap before it. A span
/// merges into the block before it when both are under a pixel, so a run of spans
/// whose reach is under a pixel is one block.
template <class Spans>
std::int64_t span_reach(const Spans& spans, std::size_t i) {
    const std::int64_t length = spans[i].end - spans[i].start;
    return i == 0 ? length : std::max(length, spans[i].start - spans[i - 1].end);
}

/// The least reach (in ns) that may keep a span from merging at `min_px` pixels on
/// `axis`: a reach below it is under `min_px` pixels however x() rounds (a margin
/// far above double rounding's error).
inline std::int64_t merge_threshold(const TimeAxis& axis, double min_px) {
    return static_cast<std::int64_t>(std::ceil(min_px * axis.ns_per_px() * (1 - 1e-9)));
}

/// A BlockMax of span_reach over one span array, brought up to date before each use
/// (the array may have grown since: a live run). About 1 byte per span.
template <class S>
class ReachIndex {
public:
    const BlockMax<std::int64_t>& of(std::span<const S> spans) {
        m_max.update(spans.size(), [&spans](std::size_t j) { return span_reach(spans, j); });
        return m_max;
    }
    std::size_t memory_bytes() const { return m_max.memory_bytes(); }

private:
    BlockMax<std::int64_t> m_max;
};

/// The blocks to draw for `spans` (sorted by start, non-overlapping) on `axis`.
/// Neighbouring spans that are each narrower than `min_px` and separated by
/// less than `min_px` merge into one block, so a frame draws at most about one
/// block per pixel, whatever the number of events. With `reach` (a BlockMax of
/// span_reach over these spans, up to date) runs of merging spans are jumped over;
/// the blocks are the same.
template <class Spans>
std::vector<DrawBlock> blocks(const Spans& spans, const TimeAxis& axis, double min_px = 1.0,
                              const BlockMax<std::int64_t>* reach = nullptr) {
    using S = typename Spans::value_type;
    std::vector<DrawBlock> out;
    auto xs = [&](const S& s) {
        const double x0 = std::max(axis.x(s.start), -1.0);
        return std::pair(x0, std::min(std::max(axis.x(s.end), x0), axis.width() + 1));
    };
    std::size_t limit = spans.size();
    std::int64_t threshold = 0;
    if (reach) {
        limit = static_cast<std::size_t>(
            std::partition_point(spans.begin(), spans.end(),
                                 [&](const S& s) { return s.start < axis.end(); }) -
            spans.begin());
        threshold = merge_threshold(axis, min_px);
    }
    auto key = [&spans](std::size_t j) { return span_reach(spans, j); };
    for (std::size_t i = first_visible(spans, axis.start()); i < spans.size(); ++i) {
        const S& s = spans[i];
        if (s.start >= axis.end()) break;
        const auto [x0, x1] = xs(s);
        const bool tiny = x1 - x0 < min_px;
        bool merged = false;
        if (!out.empty()) {
            DrawBlock& b = out.back();
            const bool last_tiny = b.count > 1 || b.x1 - b.x0 < min_px;
            if (tiny && last_tiny && x0 - b.x1 < min_px) {
                b.x1 = std::max(b.x1, x1);
                ++b.count;
                merged = true;
            }
        }
        if (!merged) out.push_back(DrawBlock{x0, x1, static_cast<std::uint32_t>(i), 1});
        DrawBlock& b = out.back();
        if (!reach || !(b.count > 1 || b.x1 - b.x0 < min_px)) continue;
        // Every span from i + 1 up to the first reaching a threshold merges into b.
        const std::size_t k = reach->first_reaching(i + 1, limit, threshold, key);
        if (k <= i + 1) continue;
        b.x1 = std::max(b.x1, xs(spans[k - 1]).second);
        b.count += static_cast<std::uint32_t>(k - i - 1);
        i = k - 1;
    }
    return out;
}

}  // namespace spindle::view
