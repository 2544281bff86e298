#pragma once
// BlockMax: the largest value of a per-item key over aligned blocks of 16, 32, 64, ...
// items of a growing array, so that two questions a timeline frame asks cost
// O(log n) instead of a walk over every item in view: "which is the first item from
// i whose key reaches a threshold" and "what is the largest key in [a, b)".
//
// The key is a function of the item's position (`key(i)`), given to every call: the
// index stores only block maxima (1 value per 16 items on the first level, half as
// many on each next one: 2/16 of a value per item in all), never the keys.
//
// Invariants: level L holds, for block k, the max of key over items
// [k·16·2^L, (k+1)·16·2^L), and only for blocks whose items are final. An array
// the RunModel grows (a live run) changes only at its end: items are appended, the
// last one may change in place (a span still open) or be dropped. So every item but
// the last is final, and update() folds in the blocks that became complete since the
// last call (dropping any that a shrink left incomplete). Items not in a complete
// block are read through key() at query time, so answers are always those of a walk
// over the current array. Not thread-safe: update and query from one thread. Owned by
// the lanes that paint the arrays (render/lane); tested in tests/app/test_block_max.cpp.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace spindle::view {

template <class V>
class BlockMax {
public:
    static constexpr std::size_t kLeaf = 16;  ///< items per block on the first level

    /// Brings the block maxima up to date with an array of `n` items now.
    template <class Key>
    void update(std::size_t n, Key key) {
        const std::size_t final_items = n > 0 ? n - 1 : 0;  // the last item may still change
        if (m_levels.empty()) m_levels.emplace_back();
        // Drop blocks that are no longer complete (the array shrank).
        for (std::size_t L = 0; L < m_levels.size(); ++L)
            if (m_levels[L].size() > final_items / size(L))
                m_levels[L].resize(final_items / size(L));
        // Fold in the blocks that became complete, level by level.
        auto& leaves = m_levels[0];
        for (std::size_t k = leaves.size(); k < final_items / kLeaf; ++k) {
            V m = key(k * kLeaf);
            for (std::size_t i = k * kLeaf + 1; i < (k + 1) * kLeaf; ++i)
                m = std::max(m, key(i));
            leaves.push_back(m);
        }
        for (std::size_t L = 1; m_levels[L - 1].size() >= 2; ++L) {
            if (L == m_levels.size()) m_levels.emplace_back();
            const auto& below = m_levels[L - 1];
            auto& here = m_levels[L];
            for (std::size_t k = here.size(); k < below.size() / 2; ++k)
                here.push_back(std::max(below[2 * k], below[2 * k + 1]));
        }
    }

    /// The first position j in [from, limit) with key(j) >= threshold; `limit` if none.
    template <class Key>
    std::size_t first_reaching(std::size_t from, std::size_t limit, V threshold, Key key) const {
        std::size_t j = from;
        while (j < limit) {
            std::size_t L = 0;
            if (!whole(j, 0, limit)) {
                if (key(j) >= threshold) return j;
                ++j;
                continue;
            }
            while (L + 1 < m_levels.size() && whole(j, L + 1, limit))
                ++L;
            // Go down into the block until a part of it is below the threshold (skip
            // that part) or a first-level block holds the answer.
            for (;;) {
                if (m_levels[L][block(j, L)] < threshold) {
                    j += size(L);
                    break;
                }
                if (L == 0) {
                    for (std::size_t i = j; i < j + kLeaf; ++i)
                        if (key(i) >= threshold) return i;
                    j += kLeaf;  // unreachable while the index matches the array
                    break;
                }
                --L;
            }
        }
        return limit;
    }

    /// The largest key(j) for j in [a, b) (the lowest V when the range is empty).
    template <class Key>
    V max_in(std::size_t a, std::size_t b, Key key) const {
        V m = std::numeric_limits<V>::lowest();
        std::size_t j = a;
        while (j < b) {
            if (!whole(j, 0, b)) {
                m = std::max(m, key(j));
                ++j;
                continue;
            }
            std::size_t L = 0;
            while (L + 1 < m_levels.size() && whole(j, L + 1, b))
                ++L;
            m = std::max(m, m_levels[L][block(j, L)]);
            j += size(L);
        }
        return m;
    }

    /// Heap bytes held.
    std::size_t memory_bytes() const {
        std::size_t bytes = m_levels.capacity() * sizeof(std::vector<V>);
        for (const auto& level : m_levels)
            bytes += level.capacity() * sizeof(V);
        return bytes;
    }
    /// Items covered by complete first-level blocks (for tests).
    std::size_t indexed() const { return m_levels.empty() ? 0 : m_levels[0].size() * kLeaf; }

private:
    static constexpr std::size_t kLeafShift = 4;  ///< kLeaf == 1 << kLeafShift
    static_assert(kLeaf == std::size_t{1} << kLeafShift);
    static constexpr std::size_t size(std::size_t level) { return kLeaf << level; }
    /// The level-L block holding item j (shifts: the sizes are powers of two).
    static std::size_t block(std::size_t j, std::size_t L) { return j >> (kLeafShift + L); }
    /// Whether the level-L block starting at j is aligned, indexed and ends by `limit`.
    bool whole(std::size_t j, std::size_t L, std::size_t limit) const {
        return L < m_levels.size() && (j & (size(L) - 1)) == 0 &&
               block(j, L) < m_levels[L].size() && j + size(L) <= limit;
    }

    std::vector<std::vector<V>> m_levels;
};

}  // namespace spindle::view
