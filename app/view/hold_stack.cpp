#include "hold_stack.h"

#include <algorithm>

namespace spindle::view {

HoldStack stack_holds(std::span<const HoldSpan> holds) {
    HoldStack out;
    out.slots.resize(holds.size());
    std::vector<Time> busy_until;  // per slot: when its current hold ends
    struct Change {
        Time time;
        int delta;  // +1 start, -1 end
        std::size_t hold;
    };
    std::vector<Change> changes;
    changes.reserve(holds.size() * 2);
    for (std::size_t i = 0; i < holds.size(); ++i) {
        const HoldSpan& h = holds[i];
        std::uint32_t slot = 0;
        while (slot < busy_until.size() && busy_until[slot] > h.start)
            ++slot;
        if (slot == busy_until.size()) busy_until.push_back(h.end);
        busy_until[slot] = h.end;
        out.slots[i] = slot;
        out.peak = std::max<std::uint32_t>(out.peak, slot + 1);
        changes.push_back(Change{h.start, +1, i});
        changes.push_back(Change{h.end, -1, i});
    }
    // Ends before starts at the same instant: a hand-over is not two holders.
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
        return a.time != b.time ? a.time < b.time : a.delta < b.delta;
    });
    HolderCount now;
    std::uint32_t exclusive = 0;
    for (const Change& c : changes) {
        const HoldSpan& h = holds[c.hold];
        now.time = c.time;
        now.holders = static_cast<std::uint32_t>(static_cast<int>(now.holders) + c.delta);
        now.permits = static_cast<std::uint32_t>(static_cast<int>(now.permits) +
                                                 c.delta * static_cast<int>(h.permits));
        if (h.mode == LockMode::exclusive)
            exclusive = static_cast<std::uint32_t>(static_cast<int>(exclusive) + c.delta);
        now.exclusive = exclusive > 0;
        if (!out.counts.empty() && out.counts.back().time == c.time)
            out.counts.back() = now;
        else
            out.counts.push_back(now);
    }
    return out;
}

}  // namespace spindle::view
