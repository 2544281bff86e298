#include "wake_lines.h"

#include <algorithm>
#include <cmath>

namespace spindle::view {

namespace {

/// The lane y of one end of wake `a` (the waker's end when `from`), or < 0.
double end_y(const WakeArrow& a, bool from, const WakeLanes& lanes) {
    std::size_t i = 0;
    if (lanes.tasks) {
        const TaskId task = from ? a.waker : a.woken;
        if (task == 0) return WakeLanes::kHidden;
        i = task - 1;
    } else {
        const WorkerId worker = from ? a.from_worker : a.to_worker;
        if (worker == kNoWorker) return WakeLanes::kHidden;
        i = worker;
    }
    return i < lanes.y.size() ? lanes.y[i] : WakeLanes::kHidden;
}

}  // namespace

WakePlan plan_wake_lines(std::span<const WakeArrow> wakes, const TimeAxis& axis,
                         const WakeLanes& lanes, TaskId selected, TaskId hovered) {
    WakePlan plan;
    // Wakes are sorted by wake time, not by arrival: an arrow reaching into view from
    // further left than one span is not looked for, which keeps a frame's cost to
    // the wakes near the view.
    const Time from = axis.start() - axis.span();
    const auto first = std::partition_point(wakes.begin(), wakes.end(),
                                            [&](const WakeArrow& a) { return a.from_time < from; });
    auto drawable = [&](const WakeArrow& a, double* y0, double* y1) {
        if (a.waker == 0 || a.waker == a.woken || a.to_time < 0) return false;
        if (a.to_time < axis.start()) return false;
        *y0 = end_y(a, true, lanes);
        *y1 = end_y(a, false, lanes);
        return *y0 >= 0 && *y1 >= 0 && *y0 != *y1;
    };
    double y0 = 0, y1 = 0;
    for (auto it = first; it != wakes.end() && it->from_time <= axis.end(); ++it)
        if (drawable(*it, &y0, &y1)) ++plan.in_view;
    plan.dense = static_cast<double>(plan.in_view) * kMinPxPerArrow > axis.width();
    if (plan.dense && selected == 0 && hovered == 0) return plan;

    auto focused = [&](const WakeArrow& a) {
        for (TaskId t : {selected, hovered})
            if (t != 0 && (a.waker == t || a.woken == t)) return true;
        return false;
    };
    for (auto it = first; it != wakes.end() && it->from_time <= axis.end(); ++it) {
        const WakeArrow& a = *it;
        if (!drawable(a, &y0, &y1) || (plan.dense && !focused(a))) continue;
        const WakeLine line{axis.x(a.from_time), y0, axis.x(a.to_time), y1,
                            static_cast<std::uint32_t>(it - wakes.begin())};
        // Never two arrows on the same pixels (a burst of wakes between two lanes).
        if (!plan.lines.empty()) {
            const WakeLine& last = plan.lines.back();
            if (last.y0 == line.y0 && last.y1 == line.y1 && std::abs(last.x0 - line.x0) < 1 &&
                std::abs(last.x1 - line.x1) < 1)
                continue;
        }
        plan.lines.push_back(line);
    }
    return plan;
}

}  // namespace spindle::view
