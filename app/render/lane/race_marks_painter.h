#pragma once
// Race marks on timeline lanes: what happened at the end of a wait, drawn over the
// lanes' spans. On a task lane: each select's race (a bracket under it, a flag with
// the winning branch's name where it completes, a cross per loser cancelled), the
// broadcast lags it suffered ("lagged 3"), and the watch versions it saw ("v5",
// "skipped v3–v4"). On a channel lane: a message sent after its receiver gave up
// (a hollow "late" mark, dotted back to when the receiver left), and on a watch the
// version each send published.
//
// No state: free functions reading view::RaceMarks and the RunModel through the
// PaintContext, called by TaskLane and ChannelLane from the painting thread.

#include "lane/lane.h"
#include "timeline/legend_entry.h"

namespace spindle::render {

/// Paints the race marks of task `task` over its lane.
void paint_task_marks(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                      const PaintContext& ctx, TaskId task);
/// Describes the race mark of `task` under `pos`; an empty Hit when there is none.
Hit hit_task_marks(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                   const PaintContext& ctx, TaskId task);
/// Pixels a waiting span's label must leave free at its right end (the winner's
/// name of a select that completes there), so the two never overlap.
double task_marks_right_inset(const view::TimeAxis& axis, const view::TaskSpan& span,
                              const PaintContext& ctx, TaskId task);
/// Pixels a span's label must leave free at its left end (a lag or version label
/// that starts there).
double task_marks_left_inset(const view::TimeAxis& axis, const view::TaskSpan& span,
                             const PaintContext& ctx, TaskId task);

/// Paints the late messages of channel `chan` (and a watch's version labels).
void paint_channel_marks(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                         const PaintContext& ctx, ResourceId chan);
/// Describes the late message of `chan` under `pos`; an empty Hit when there is none.
Hit hit_channel_marks(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                      const PaintContext& ctx, ResourceId chan);

/// Appends the legend entries of the race marks `model` has (won, cancelled, late,
/// version seen), measured in `fm`.
void add_race_legend(std::vector<LegendEntry>& out, const QFontMetricsF& fm, const Theme& th,
                     const view::RunModel& model);

}  // namespace spindle::render
