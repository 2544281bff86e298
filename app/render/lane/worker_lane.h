#pragma once
// WorkerLane: one worker thread (core or blocking pool) over time — each poll a
// slice in its task's colour, labelled with the task name when wide enough;
// parked time shaded (on an OS-thread lane, the time after its thread ended is
// drawn as an end mark and an empty lane instead: view/thread_life.h); steals marked with a small
// triangle; blocking calls that held the worker hatched over their poll and labelled with what they
// wait for.
//
// State: the worker id it shows (set at construction, never changed) and indexes
// over its polls and parked spans (view::ReachIndex, brought up to date at paint).
// The polls are read from the RunModel in the PaintContext; see lane.h.

#include "lane/lane.h"
#include "level_of_detail.h"

namespace spindle::render {

/// The "thread ended" look: a short bar at x, then a thin line `width` long, centred on cy.
void paint_thread_end_mark(QPainter& p, const Theme& th, double x, double cy, double width);

class WorkerLane final : public Lane {
public:
    /// `worker` indexes RunModel::workers(); `label` is "thread 0", "blocking 1" or
    /// "os thread 1".
    WorkerLane(WorkerId worker, WorkerRole role, QString label, QString detail, double height);

    WorkerId worker() const { return m_worker; }

    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
               const PaintContext& ctx) const override;
    Hit hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                 const PaintContext& ctx) const override;
    QString summary(const PaintContext& ctx) const override;
    bool selected(const PaintContext&) const override { return false; }
    std::size_t index_bytes() const override;

private:
    const view::WorkerTrack* data(const PaintContext& ctx) const;

    WorkerId m_worker;
    mutable view::ReachIndex<view::PollSlice> m_poll_index;  ///< over the worker's polls
    mutable view::ReachIndex<view::Span> m_parked_index;     ///< over its parked spans
};

}  // namespace spindle::render
