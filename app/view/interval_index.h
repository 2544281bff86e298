#pragma once
// IntervalIndex: which of a fixed set of half-open intervals [start, end) cover a
// point. The intervals are kept sorted by start, with a max-end tree over them (an
// implicit binary tree, node 1 the root, node k's children 2k and 2k + 1), so a
// query skips every subtree whose intervals all ended by the point and stops at
// the first interval starting after it: O(k log n) for k answers. started_by() is
// the same question for a list whose intervals never overlap (a worker's polls).
//
// Invariants: the intervals are given sorted by start (ties in any order) and are
// known by their position in that order; answers come in ascending position. The
// index never changes after construction, so queries are const and may run on
// several threads. Header-only and generic over the time type; depends on nothing
// else in the app. Anyone may use it; change it only with its test
// (tests/app/test_interval_index.cpp).

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace spindle::view {

template <class T>
class IntervalIndex {
public:
    IntervalIndex() = default;
    /// Indexes [starts[i], ends[i]) for every i; `starts` must be sorted ascending and
    /// as long as `ends`.
    IntervalIndex(std::vector<T> starts, const std::vector<T>& ends) : m_start(std::move(starts)) {
        assert(m_start.size() == ends.size());
        assert(std::is_sorted(m_start.begin(), m_start.end()));
        if (m_start.empty()) return;
        m_max_end.assign(4 * m_start.size(), T{});
        build(ends, 1, 0, m_start.size());
    }

    std::size_t size() const { return m_start.size(); }

    /// Appends to `out` the position of every interval covering `t`
    /// (start <= t < end), in ascending order.
    void stab(T t, std::vector<std::uint32_t>& out) const {
        if (m_start.empty()) return;
        // Only intervals that started by t can cover it.
        const auto limit = static_cast<std::size_t>(
            std::upper_bound(m_start.begin(), m_start.end(), t) - m_start.begin());
        stab(1, 0, m_start.size(), limit, t, out);
    }

private:
    void build(const std::vector<T>& ends, std::size_t node, std::size_t lo, std::size_t hi) {
        if (hi - lo == 1) {
            m_max_end[node] = ends[lo];
            return;
        }
        const std::size_t mid = (lo + hi) / 2;
        build(ends, 2 * node, lo, mid);
        build(ends, 2 * node + 1, mid, hi);
        m_max_end[node] = std::max(m_max_end[2 * node], m_max_end[2 * node + 1]);
    }

    void stab(std::size_t node, std::size_t lo, std::size_t hi, std::size_t limit, T t,
              std::vector<std::uint32_t>& out) const {
        if (lo >= limit || m_max_end[node] <= t) return;
        if (hi - lo == 1) {
            out.push_back(static_cast<std::uint32_t>(lo));
            return;
        }
        const std::size_t mid = (lo + hi) / 2;
        stab(2 * node, lo, mid, limit, t, out);
        stab(2 * node + 1, mid, hi, limit, t, out);
    }

    std::vector<T> m_start;    ///< ascending
    std::vector<T> m_max_end;  ///< per tree node: the latest end below it
};

/// In `items` sorted by their `start` member, the end of the prefix that started at
/// or before `t`: the item before it is the latest to start by `t` (none when it is
/// items.begin()). For non-overlapping items, that one covers `t` if it ends after.
template <class Items, class Item, class T>
auto started_by(const Items& items, T t, T Item::*start) {
    return std::upper_bound(items.begin(), items.end(), t,
                            [start](T x, const Item& item) { return x < item.*start; });
}

}  // namespace spindle::view
