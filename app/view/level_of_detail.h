#pragma once
// Level of detail for timeline lanes: what to draw for the slices visible in a
// TimeAxis, merging whatever is narrower than a pixel (Tracy's rule: never draw
// what is smaller than a pixel). Pure functions over sorted spans.

#include <algorithm>
#include <cstdint>
#include <vector>

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
template <class S>
std::size_t first_visible(const std::vector<S>& spans, std::int64_t t) {
    auto it =
        std::partition_point(spans.begin(), spans.end(), [t](const S& s) { return s.end <= t; });
    return static_cast<std::size_t>(it - spans.begin());
}

/// The blocks to draw for `spans` (sorted by start, non-overlapping) on `axis`.
/// Neighbouring spans that are each narrower than `min_px` and separated by
/// less than `min_px` merge into one block, so a frame draws at most about one
/// block per pixel, whatever the number of events.
template <class S>
std::vector<DrawBlock> blocks(const std::vector<S>& spans, const TimeAxis& axis,
                              double min_px = 1.0) {
    std::vector<DrawBlock> out;
    for (std::size_t i = first_visible(spans, axis.start()); i < spans.size(); ++i) {
        const S& s = spans[i];
        if (s.start >= axis.end()) break;
        const double x0 = std::max(axis.x(s.start), -1.0);
        const double x1 = std::min(std::max(axis.x(s.end), x0), axis.width() + 1);
        const bool tiny = x1 - x0 < min_px;
        if (!out.empty()) {
            DrawBlock& b = out.back();
            const bool last_tiny = b.count > 1 || b.x1 - b.x0 < min_px;
            if (tiny && last_tiny && x0 - b.x1 < min_px) {
                b.x1 = std::max(b.x1, x1);
                ++b.count;
                continue;
            }
        }
        out.push_back(DrawBlock{x0, x1, static_cast<std::uint32_t>(i), 1});
    }
    return out;
}

}  // namespace spindle::view
