#pragma once
// The critical path overlay: a task's critical path (view::critical_path) drawn over
// the timeline's task lanes as one highlighted line — a thick stroke along each
// segment's lane (solid while running, thin dashed while waiting, an alert-coloured
// stroke while queued with a worker idle: the scheduler's fault) and a connector
// where the path jumps from one task's lane to another's (a wake, a spawn).
//
// State: none; the path is computed by the renderer when its options name a task.
// Painting only, on the renderer's thread.

#include <QPainter>
#include <QRectF>

#include <vector>

#include "critical_path.h"
#include "theme.h"
#include "time_axis.h"

namespace spindle::render {

/// Paints `path` over `axis`; `lane_y[task id - 1]` is the centre of the task's lane
/// (negative: not shown), `x0` the time area's left edge, `clip` the lanes' area.
void paint_critical_path(QPainter& p, const view::TimeAxis& axis,
                         const std::vector<view::PathSegment>& path,
                         const std::vector<double>& lane_y, double x0, const QRectF& clip,
                         const Theme& theme);

}  // namespace spindle::render
