#include "lane/idle_channels_lane.h"

#include <algorithm>

namespace spindle::render {

IdleChannelsLane::IdleChannelsLane(std::vector<ResourceId> channels, double height)
    : Lane(Kind::idle_channels, QStringLiteral("idle channels"),
           QStringLiteral("%1").arg(channels.size()), height),
      m_channels(std::move(channels)) {}

QString IdleChannelsLane::names(const PaintContext& ctx, const QString& separator,
                                bool kinds) const {
    QStringList out;
    for (ResourceId id : m_channels) {
        const view::ResourceTrack* r = ctx.model->resource(id);
        if (!r) continue;
        QString s = r->name.empty() ? QStringLiteral("channel #%1").arg(id)
                                    : QString::fromStdString(r->name);
        if (kinds)
            s += QStringLiteral(" (%1, created %2)")
                     .arg(QString::fromLatin1(to_string(r->kind)), format_time(r->created));
        out << s;
    }
    return out.join(separator);
}

void IdleChannelsLane::paint(QPainter& p, const view::TimeAxis&, const QRectF& rect,
                             const PaintContext& ctx) const {
    if (selected(ctx)) p.fillRect(rect, ctx.theme->selection_band);
    p.setFont(*ctx.font);
    p.setPen(ctx.theme->text_dim);
    const QString text =
        QStringLiteral("nothing sent, nobody waited: ") + names(ctx, QStringLiteral(" · "), false);
    const QRectF r = rect.adjusted(6, 0, -6, 0);
    p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
               ctx.metrics->elidedText(text, Qt::ElideRight, r.width()));
}

Hit IdleChannelsLane::hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                               const PaintContext& ctx) const {
    Hit hit;
    hit.time = axis.time(pos.x() - rect.left());
    hit.text = summary(ctx);
    return hit;
}

QString IdleChannelsLane::summary(const PaintContext& ctx) const {
    return QStringLiteral("%1 idle channel%2 (nothing sent on them, nobody waited on them):\n")
               .arg(m_channels.size())
               .arg(m_channels.size() == 1 ? QString() : QStringLiteral("s")) +
           names(ctx, QStringLiteral("\n"), true);
}

bool IdleChannelsLane::selected(const PaintContext& ctx) const {
    return ctx.selected_resource != 0 && std::find(m_channels.begin(), m_channels.end(),
                                                   ctx.selected_resource) != m_channels.end();
}

}  // namespace spindle::render
