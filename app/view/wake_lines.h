#pragma once
// Wake lines: where a timeline draws its wake arrows, and which. An arrow runs
// from the poll that woke a task (on the waker's lane, at the wake) to the woken
// task's next poll (on its lane, when that poll starts), so it always crosses from
// one lane to another. Timer and outside wakes (no waking poll), self-wakes and
// wakes never followed by a poll have no arrow; neither has a wake whose two ends
// fall on one lane (worker lanes: the same thread).
//
// Level of detail: arrows closer than kMinPxPerArrow on average (the arrows in
// view over the width of the time area) are too dense to read; then only the
// arrows of the focused tasks (the selected one and the one under the mouse) are
// drawn, and none without a focus.
//
// State: none. A pure function of the run's wakes, the axis, the lanes' rows and
// the focus; plain C++, no Qt, tested headless.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "run_model.h"
#include "time_axis.h"

namespace spindle::view {

/// One wake arrow in the time area's pixels (x as TimeAxis::x, y as the lanes give).
struct WakeLine {
    double x0 = 0;  ///< the wake, on the waker's lane
    double y0 = 0;
    double x1 = 0;  ///< the woken task's next poll, on its lane
    double y1 = 0;
    std::uint32_t wake = 0;  ///< index into RunModel::wakes()
};

/// What to draw the arrows between.
struct WakeLanes {
    static constexpr double kHidden = -1;  ///< a lane that is not laid out
    /// Arrows join task lanes (waker to woken) when true, else worker lanes (the
    /// waking poll's thread to the next poll's).
    bool tasks = true;
    /// The centre y of each lane: index = task id - 1, or the worker id; kHidden
    /// (any negative value) when that lane is not shown.
    std::vector<double> y;
};

/// The arrows to draw over one axis.
struct WakePlan {
    std::vector<WakeLine> lines;  ///< in wake order
    std::size_t in_view = 0;      ///< arrows in view before the density rule
    bool dense = false;           ///< too many to draw all: only the focused tasks' are
};

/// Wake arrows closer than this on average are drawn for the focused tasks only.
inline constexpr double kMinPxPerArrow = 16;

/// The wake arrows of `wakes` (RunModel::wakes(), sorted by wake time) to draw over
/// `axis` between `lanes`. An arrow is in view when its span meets the axis; those
/// that start more than one axis span before it are not looked for. When dense, only
/// arrows whose waker or woken task is `selected` or `hovered` (0: none) are kept.
WakePlan plan_wake_lines(std::span<const WakeArrow> wakes, const TimeAxis& axis,
                         const WakeLanes& lanes, TaskId selected = 0, TaskId hovered = 0);

}  // namespace spindle::view
