#pragma once
// ChannelLane: one channel's buffer over time — occupancy as a step graph under a
// dashed capacity line, send ticks above and receive ticks below the baseline,
// the spans during which a sender was blocked (the buffer full) shaded, and a
// bar marked "closed" where the channel closed (its tooltip says why).
//
// State: the resource id it shows (set at construction, never changed). The
// track is read from the RunModel in the PaintContext; see lane.h.

#include "lane/lane.h"

namespace spindle::render {

class ChannelLane final : public Lane {
public:
    ChannelLane(ResourceId resource, QString label, QString detail, double height);

    ResourceId resource() const { return m_resource; }

    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
               const PaintContext& ctx) const override;
    Hit hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                 const PaintContext& ctx) const override;
    QString summary(const PaintContext& ctx) const override;
    bool selected(const PaintContext& ctx) const override {
        return ctx.selected_resource == m_resource;
    }

private:
    const view::ResourceTrack* data(const PaintContext& ctx) const {
        return ctx.model->resource(m_resource);
    }
    /// The "closed" mark where the channel closed, if it did within the view.
    void paint_close(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                     const PaintContext& ctx) const;
    /// The value the graph's top stands for (the capacity, or the peak when unbounded).
    static std::uint32_t scale_max(const view::ResourceTrack& r);

    ResourceId m_resource;
};

}  // namespace spindle::render
