#pragma once
// HoldStack: how a lock lane stacks the holds of one lock or semaphore — each hold
// gets a slot (row) it keeps for its whole life, the lowest free when it began,
// so overlapping shared readers (or semaphore permit holders) sit one above the
// other and the count of holders is the stack's height — and the count of
// holders after each change. Pure function of ResourceTrack::holds; no Qt.

#include <cstdint>
#include <span>
#include <vector>

#include "run_model.h"

namespace spindle::view {

/// The holders after a change.
struct HolderCount {
    Time time = 0;
    std::uint32_t holders = 0;  ///< tasks holding it
    bool exclusive = false;     ///< one of them holds it exclusively (mutex, rwlock writer)
    std::uint32_t permits = 0;  ///< permits held in all (semaphores; 1 per lock hold)
};

struct HoldStack {
    std::vector<std::uint32_t> slots;  ///< per hold (same index as the holds): its row, 0 = bottom
    std::uint32_t peak = 0;            ///< rows used (most holders at once)
    std::vector<HolderCount> counts;   ///< by time; one entry per instant
};

/// Stacks `holds` (sorted by start, as ResourceTrack::holds).
HoldStack stack_holds(std::span<const HoldSpan> holds);

}  // namespace spindle::view
