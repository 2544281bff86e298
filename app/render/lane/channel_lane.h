#pragma once
// ChannelLane: one channel's buffer over time — occupancy as a step graph under a
// dashed capacity line, send ticks above and receive ticks below the baseline,
// the spans during which a sender was blocked (the buffer full) shaded, and a
// bar marked "closed" where the channel closed (its tooltip says why).
//
// State: the resource id it shows (set at construction, never changed) and indexes
// over the track's arrays that let a frame jump over what merges within a pixel
// (brought up to date at paint). The track is read from the RunModel in the
// PaintContext; see lane.h.

#include "block_max.h"
#include "lane/lane.h"
#include "level_of_detail.h"

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
    std::size_t index_bytes() const override;

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
    // Indexes over the track's arrays, brought up to date at paint (see block_max.h):
    mutable view::ReachIndex<view::Span> m_blocked_index;  ///< senders_blocked
    mutable view::BlockMax<std::uint32_t> m_length_max;    ///< length: the buffer length
    mutable view::BlockMax<std::uint8_t> m_send_ticks;     ///< ticks: 1 for a send
    mutable view::BlockMax<std::uint8_t> m_recv_ticks;     ///< ticks: 1 for a receive
};

}  // namespace spindle::render
