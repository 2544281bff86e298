#include "timeline/deadlock_overlay.h"

#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "lane/lock_lane.h"
#include "lane/task_lane.h"

namespace spindle::render {

namespace {

QString resource_name(ResourceId id, WaitOp op, const PaintContext& ctx) {
    if (op == WaitOp::join) return ctx.task_name(static_cast<TaskId>(id));
    const view::ResourceTrack* r = ctx.model->resource(id);
    return r && !r->name.empty() ? QString::fromStdString(r->name) : QStringLiteral("#%1").arg(id);
}

void arrow_head(QPainter& p, const QPointF& from, const QPointF& to, double size) {
    const QPointF d = to - from;
    const double len = std::hypot(d.x(), d.y());
    if (len < 1) return;
    const QPointF u = d / len, n(-u.y(), u.x());
    const QPointF tip[3] = {to, to - u * size + n * size * 0.45, to - u * size - n * size * 0.45};
    p.drawConvexPolygon(tip, 3);
}

/// The band of a lock's lane where its holds are drawn (LockLane's middle band).
QRectF hold_band(const QRectF& row) {
    return LockLane::hold_band(row);
}

}  // namespace

QString DeadlockOverlay::describe(TaskId task, view::Time t, const PaintContext& ctx) const {
    const view::StuckWait* s = m_view.stuck_task(task);
    const view::TaskInfo* info = ctx.model->task(task);
    if (!s || !info || info->spans.empty() || t < s->since) return {};
    QString text = QStringLiteral("%1 (#%2) stuck from %3 to the end, and beyond: %4")
                       .arg(ctx.task_name(task))
                       .arg(task)
                       .arg(format_time(s->since), TaskLane::describe(info->spans.back(), ctx));
    if (!s->holders.empty()) {
        QStringList holders;
        for (TaskId h : s->holders)
            holders << QStringLiteral("%1 (#%2)").arg(ctx.task_name(h)).arg(h);
        text += QStringLiteral(", held by ") + holders.join(QStringLiteral(", "));
    }
    text += QStringLiteral("\nThe wait never ends: the run stopped in a deadlock.");
    if (!m_view.headline.empty())
        text += QLatin1Char('\n') + QString::fromStdString(m_view.headline);
    return text;
}

void DeadlockOverlay::paint(QPainter& p, const view::TimeAxis& axis, const QRectF& lanes,
                            const TaskRow& task_row, const ResourceRow& resource_row,
                            const PaintContext& ctx) const {
    if (m_view.empty()) return;
    const Theme& th = *ctx.theme;
    const double left = lanes.left();
    const view::Time end = ctx.model->end_time();
    const double x_end = left + axis.x(end);
    if (x_end > lanes.right()) return;  // the end is out of view: nothing past it to show
    p.save();
    p.setClipRect(lanes, Qt::IntersectClip);

    // Where the run stopped.
    p.setPen(QPen(th.alert, 1, Qt::DashLine));
    p.drawLine(QPointF(std::round(x_end) + 0.5, lanes.top()),
               QPointF(std::round(x_end) + 0.5, lanes.bottom()));

    // The stuck waits: from their start past the end, to the right edge.
    const QColor hatch = blend(th.alert, th.waiting, 0.55);
    for (const view::StuckWait& s : m_view.stuck) {
        const auto row = task_row(s.task);
        if (!row) continue;
        const double x0 = std::max(left + axis.x(s.since), left);
        const QRectF r(x0, row->top() + 5, lanes.right() - x0, row->height() - 10);
        if (r.width() <= 0) continue;
        p.fillRect(r, th.waiting);
        p.fillRect(r, QBrush(hatch, Qt::BDiagPattern));
        p.setPen(QPen(th.alert, 1));
        p.drawLine(QPointF(r.left(), r.top()), QPointF(r.right(), r.top()));
        p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()));
        // "stuck", on a patch of background so the hatching does not eat it.
        p.setFont(*ctx.font);
        const QString word = QStringLiteral("stuck");
        const double w = ctx.metrics->horizontalAdvance(word) + 8;
        if (r.width() >= w + 4) {
            const QRectF box(r.left() + 4, row->top() + 2, w, row->height() - 4);
            p.fillRect(box, th.background);
            p.setPen(th.alert);
            p.drawText(box, Qt::AlignCenter, word);
        }
    }

    // The cycle. Each lock in it is still held past the end: its lane carries the
    // hold on, hatched in the holder's colour. Each waiter gets an arrow, in a column
    // of its own just after "stuck", from its lane into the lane of what it wants —
    // that lock's hold, or the joined task when it waits on a join. The words sit in
    // one column right of the arrows: "wants account b" on the waiter's lane, "held by
    // transfer b->a" on the lock's.
    QFont small = *ctx.font;
    small.setPixelSize(std::max(small.pixelSize() - 1, 8));
    const QFontMetricsF fm(small);
    constexpr double kColumn = 14;
    const double first = x_end + ctx.metrics->horizontalAdvance(QStringLiteral("stuck")) + 20;
    const double words = first + kColumn * static_cast<double>(m_view.cycle.size()) + 4;
    auto label = [&](const QRectF& row, const QString& text, const QColor& ink) {
        const double h = std::min(fm.height() + 4, row.height() - 4);
        const QRectF box(words, row.center().y() - h / 2, fm.horizontalAdvance(text) + 8, h);
        if (box.right() > lanes.right() - 2) return;  // a cut word misleads; the tooltip has it
        p.setPen(Qt::NoPen);
        p.setBrush(th.background);
        p.drawRoundedRect(box, 3, 3);
        p.setFont(small);
        p.setPen(ink);
        p.drawText(box, Qt::AlignCenter, text);
    };
    for (const view::CycleEdge& e : m_view.cycle) {
        const auto via = e.op == WaitOp::join ? std::nullopt : resource_row(e.resource);
        if (!via) continue;
        const QRectF held = hold_band(*via);
        const QRectF r(x_end + 1, held.top(), lanes.right() - x_end - 1, held.height());
        if (r.width() <= 0) continue;
        const QColor colour = th.task_colour(e.holder);
        p.fillRect(r, blend(colour, th.background, 0.45));
        p.fillRect(r, QBrush(blend(colour, th.text, 0.5), Qt::BDiagPattern));
        label(held, QStringLiteral("held by ") + ctx.task_name(e.holder), th.text);
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    double x = first;
    for (const view::CycleEdge& e : m_view.cycle) {
        const auto from = task_row(e.waiter);
        if (!from) continue;
        const auto via = e.op == WaitOp::join ? std::nullopt : resource_row(e.resource);
        const auto holder = task_row(e.holder);
        std::optional<QRectF> target = via ? std::optional<QRectF>(hold_band(*via)) : holder;
        if (!target) continue;
        const double dir = target->center().y() > from->center().y() ? 1 : -1;
        const QPointF a(x, from->center().y());
        // Into the target's near edge, so the head sits on its border.
        const QPointF b(x, dir > 0 ? target->top() : target->bottom());
        p.setPen(QPen(th.alert, 1.6));
        p.drawLine(a, b - QPointF(0, dir * 3));
        p.setPen(Qt::NoPen);
        p.setBrush(th.alert);
        p.drawEllipse(a, 2.5, 2.5);
        arrow_head(p, a, b, 7);
        label(*from, QStringLiteral("wants ") + resource_name(e.resource, e.op, ctx), th.alert);
        x += kColumn;
    }
    p.restore();
}

}  // namespace spindle::render
