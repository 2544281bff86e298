#pragma once
// WorkerLane: one worker thread (core or blocking pool) over time — each poll a
// slice in its task's colour, labelled with the task name when wide enough;
// parked time shaded; steals marked with a small triangle.
//
// State: the worker id it shows (set at construction, never changed). The polls
// are read from the RunModel in the PaintContext; see lane.h.

#include "lane/lane.h"

namespace spindle::render {

class WorkerLane final : public Lane {
public:
    /// `worker` indexes RunModel::workers(); `label` is "thread 0" or "blocking 1".
    WorkerLane(WorkerId worker, bool blocking, QString label, QString detail, double height);

    WorkerId worker() const { return m_worker; }

    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
               const PaintContext& ctx) const override;
    Hit hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                 const PaintContext& ctx) const override;
    QString summary(const PaintContext& ctx) const override;
    bool selected(const PaintContext&) const override { return false; }

private:
    const view::WorkerTrack* data(const PaintContext& ctx) const;

    WorkerId m_worker;
};

}  // namespace spindle::render
