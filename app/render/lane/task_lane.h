#pragma once
// TaskLane: one task's state over time — queued, running (in the task's colour),
// waiting (labelled "waiting: recv on jobs" when wide enough), idle — and a
// marker where it ended, coloured by its outcome.
//
// State: the task id it shows (set at construction, never changed) and an index
// over its spans (view::ReachIndex, brought up to date at paint). The spans are
// read from the RunModel in the PaintContext; see lane.h.

#include "lane/lane.h"
#include "level_of_detail.h"

namespace spindle::render {

class TaskLane final : public Lane {
public:
    TaskLane(TaskId task, QString label, QString detail, double height);

    TaskId task() const { return m_task; }

    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
               const PaintContext& ctx) const override;
    Hit hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                 const PaintContext& ctx) const override;
    QString summary(const PaintContext& ctx) const override;
    bool selected(const PaintContext& ctx) const override { return ctx.selected_task == m_task; }
    std::size_t index_bytes() const override { return m_index.memory_bytes(); }

    /// "waiting: recv on jobs", "queued on thread 2", "running on thread 0", "idle".
    static QString describe(const view::TaskSpan& s, const PaintContext& ctx);
    /// One waited-on operation: "recv on jobs", "sleep", "join on worker 2".
    static QString wait_target(ResourceId resource, WaitOp op, const PaintContext& ctx);

private:
    const view::TaskInfo* data(const PaintContext& ctx) const { return ctx.model->task(m_task); }

    TaskId m_task;
    mutable view::ReachIndex<view::TaskSpan> m_index;  ///< over the task's spans
};

}  // namespace spindle::render
