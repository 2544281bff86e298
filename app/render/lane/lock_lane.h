#pragma once
// LockLane: one lock or signal over time (mutex, rwlock, semaphore, notify,
// barrier). A top row names how many hold it at each stretch's peak ("5 readers").
// The middle band shows who holds it: each hold a span in the holder's
// task colour, labelled with its name where it fits; overlapping holds (an
// rwlock's shared readers, a semaphore's permit holders) stack one row each with
// the count written on them ("3 readers"); an rwlock's writer fills the band and
// is outlined. For notify and barrier the band shows the waiters instead (pale
// spans in their colours) and each release (notify, barrier trip) as a mark.
// The lower band is the waiters' queue length as a step graph; waiting writers
// form its lower part in the writer colour, so readers queued behind a waiting
// writer (tokio's fair RwLock) stand out.
//
// State: the resource id it shows (fixed), a cache of the holds' stacking,
// recomputed when the number of holds or waits changed (a live run grows), and
// level-of-detail indexes over a mutex's holds and the queue steps, extended at
// paint. The data is read from the RunModel in the PaintContext; see lane.h.

#include <optional>

#include "block_max.h"
#include "hold_stack.h"
#include "lane/lane.h"

namespace spindle::render {

/// Where a count label `width` wide goes for a stretch drawn from `from` to `to` whose
/// peak is centred at `peak_mid`, in a row spanning [left, right] after a label ending
/// at `taken`: centred on the peak, kept inside the stretch when it fits, never left
/// of the row (a stretch cut by the row's edge keeps its label only if it fits what
/// shows), never over the previous label or past the row's end. Nothing: not drawn.
std::optional<double> place_count_label(double from, double to, double peak_mid, double width,
                                        double left, double right, double taken);

class LockLane final : public Lane {
public:
    LockLane(ResourceId resource, QString label, QString detail, double height);

    ResourceId resource() const { return m_resource; }

    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
               const PaintContext& ctx) const override;
    Hit hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                 const PaintContext& ctx) const override;
    QString summary(const PaintContext& ctx) const override;
    bool selected(const PaintContext& ctx) const override {
        return ctx.selected_resource == m_resource;
    }
    std::size_t index_bytes() const override;
    /// Where, in a lock lane laid out in `rect`, the holds are drawn.
    static QRectF hold_band(const QRectF& rect) { return bands(rect).holds; }

private:
    struct Bands {
        QRectF labels;  ///< the holders' counts ("5 readers"), release counts
        QRectF holds;   ///< who holds it (or, for signals, who waits)
        QRectF queue;   ///< the waiters' queue step
    };
    static Bands bands(const QRectF& rect);
    const view::ResourceTrack* data(const PaintContext& ctx) const {
        return ctx.model->resource(m_resource);
    }
    /// Whether the upper band shows waits (notify, barrier) rather than holds.
    static bool is_signal(const view::ResourceTrack& r);
    /// The spans of the upper band: the holds, or (signals) the waits as spans.
    std::span<const view::HoldSpan> spans(const view::ResourceTrack& r) const;
    const view::HoldStack& stack(const view::ResourceTrack& r) const;
    /// The rectangle of span `i` of spans(r) in `band` (x not clipped).
    QRectF span_rect(const view::ResourceTrack& r, std::size_t i, const view::TimeAxis& axis,
                     const QRectF& band) const;
    void paint_holds(QPainter& p, const view::TimeAxis& axis, const QRectF& band,
                     const view::ResourceTrack& r, const PaintContext& ctx) const;
    void paint_counts(QPainter& p, const view::TimeAxis& axis, const QRectF& row,
                      const view::ResourceTrack& r, const PaintContext& ctx) const;
    void paint_queue(QPainter& p, const view::TimeAxis& axis, const QRectF& band,
                     const view::ResourceTrack& r, const PaintContext& ctx) const;
    void paint_releases(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                        const view::ResourceTrack& r, const PaintContext& ctx) const;

    ResourceId m_resource;
    // Cache of spans() and stack(), valid while the counts below match the model's.
    mutable std::size_t m_cached_holds = static_cast<std::size_t>(-1);
    mutable std::size_t m_cached_waits = static_cast<std::size_t>(-1);
    mutable std::vector<view::HoldSpan> m_wait_spans;
    mutable view::HoldStack m_stack;
    // Level-of-detail indexes (view::BlockMax), brought up to date at paint:
    mutable view::BlockMax<std::int64_t> m_hold_length;     ///< holds: length (mutex only)
    mutable view::BlockMax<std::uint32_t> m_queue_waiting;  ///< queue: waiting
    mutable view::BlockMax<std::uint32_t> m_queue_writers;  ///< queue: writers
};

}  // namespace spindle::render
