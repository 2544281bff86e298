#pragma once
// IdleChannelsLane: the one row that stands for every idle channel of a run —
// channels on which nothing was ever sent and nobody ever waited (see
// view::LanePlan). It names them in faint text; its tooltip lists each with its
// kind and when it was created.
//
// State: the ids of the channels it stands for (set at construction, never
// changed). The tracks are read from the RunModel in the PaintContext; see lane.h.

#include <vector>

#include "lane/lane.h"

namespace spindle::render {

class IdleChannelsLane final : public Lane {
public:
    IdleChannelsLane(std::vector<ResourceId> channels, double height);

    const std::vector<ResourceId>& channels() const { return m_channels; }

    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
               const PaintContext& ctx) const override;
    Hit hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                 const PaintContext& ctx) const override;
    QString summary(const PaintContext& ctx) const override;
    bool selected(const PaintContext& ctx) const override;

private:
    /// "name (kind)" of each channel, joined by `separator`.
    QString names(const PaintContext& ctx, const QString& separator, bool kinds) const;

    std::vector<ResourceId> m_channels;
};

}  // namespace spindle::render
