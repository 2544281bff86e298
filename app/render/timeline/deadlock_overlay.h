#pragma once
// DeadlockOverlay: how the timeline draws a deadlocked run (view::DeadlockView) —
// each stuck task's last wait carried on past the run's end to the right edge,
// hatched and labelled "stuck: lock on account b"; a dashed line where the run
// stopped; each lock of the wait-for cycle still held past the end (hatched in
// its holder's colour, "held by …"); and the cycle as arrows from each waiting
// task's lane into the lane of what it wants (the lock, or the joined task),
// labelled "wants …".
//
// State: the DeadlockView (rebuilt with the renderer's lanes) and nothing else;
// where lanes are comes in at paint time. Painted by TimelineRenderer over the
// lanes, from the GUI thread or the exporting thread.

#include <QPainter>
#include <QRectF>
#include <QString>

#include <functional>
#include <optional>

#include "deadlock_view.h"
#include "lane/lane.h"
#include "time_axis.h"

namespace spindle::render {

class DeadlockOverlay {
public:
    /// Where a lane is, in timeline coordinates (its time area), if laid out.
    using TaskRow = std::function<std::optional<QRectF>(TaskId)>;
    using ResourceRow = std::function<std::optional<QRectF>(ResourceId)>;

    /// Rebuilds from the model (empty unless the run ended in a deadlock).
    void rebuild(const view::RunModel& model) { m_view = view::deadlock_view(model); }
    const view::DeadlockView& view() const { return m_view; }
    bool empty() const { return m_view.empty(); }

    /// Paints the stuck waits and the cycle. `lanes` is the area of all lanes.
    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& lanes,
               const TaskRow& task_row, const ResourceRow& resource_row,
               const PaintContext& ctx) const;
    /// The tooltip of task `task` at time `t` when it is stuck by then ("" otherwise):
    /// "transfer a->b (#2) stuck from 504 µs: waits to lock account b, held by ...".
    QString describe(TaskId task, view::Time t, const PaintContext& ctx) const;
    /// Time to show after the run's end so the stuck waits and arrows have room
    /// (0 when nothing is stuck).
    static view::Time room_after(view::Time end) { return end / 3; }

private:
    view::DeadlockView m_view;
};

}  // namespace spindle::render
