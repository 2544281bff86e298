#include "lane/task_lane.h"

#include <algorithm>
#include <cmath>

#include <QStringList>

#include "lane/race_marks_painter.h"
#include "level_of_detail.h"
#include "migration.h"

namespace spindle::render {

namespace {
constexpr double kLabelMinPx = 40;  ///< narrower spans get no text

QString op_name(WaitOp op) {
    return QString::fromLatin1(to_string(op));
}

QString wait_target(ResourceId resource, WaitOp op, const PaintContext& ctx) {
    if (op == WaitOp::sleep) return QStringLiteral("sleep");
    if (op == WaitOp::join) return QStringLiteral("join on %1").arg(ctx.task_name(resource));
    const view::ResourceTrack* r = ctx.model->resource(resource);
    const QString what = r && !r->name.empty() ? QString::fromStdString(r->name)
                                               : QStringLiteral("#%1").arg(resource);
    return QStringLiteral("%1 on %2").arg(op_name(op), what);
}

/// The labels a waiting span can wear, longest first: "waiting: recv on jobs",
/// "recv on jobs", "recv"; in a select, "waiting in select: recv on reply | sleep",
/// "select: recv on reply | sleep", "select: recv | sleep", "select" (in a join, the
/// same with "join").
QStringList wait_labels(const view::TaskSpan& s, const PaintContext& ctx) {
    const auto& branches = ctx.model->select_waits(s.select);
    if (branches.empty()) {
        const QString target = wait_target(s.resource, s.op, ctx);
        const QString state = s.state == view::TaskState::blocked ? QStringLiteral("blocked: ")
                                                                  : QStringLiteral("waiting: ");
        return {state + target, target, op_name(s.op)};
    }
    QStringList targets, ops;
    for (const view::WaitRef& w : branches) {
        targets << wait_target(w.resource, w.op, ctx);
        ops << op_name(w.op);
    }
    const QString all = targets.join(QStringLiteral(" | "));
    // A join's functions wait together, each for its own; a select's branches race.
    const QString kind =
        ctx.model->select_is_join(s.select) ? QStringLiteral("join") : QStringLiteral("select");
    return {QStringLiteral("waiting in ") + kind + QStringLiteral(": ") + all,
            kind + QStringLiteral(": ") + all,
            kind + QStringLiteral(": ") + ops.join(QStringLiteral(" | ")), kind};
}

/// The longest label that fits, else nothing: a shorter true label reads better
/// than an elided long one.
void draw_wait_label(QPainter& p, const QRectF& r, const view::TaskSpan& s,
                     const PaintContext& ctx) {
    for (const QString& text : wait_labels(s, ctx)) {
        if (ctx.metrics->horizontalAdvance(text) <= r.width()) {
            p.setPen(ctx.theme->text_dim);
            p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft, text);
            return;
        }
    }
}
}  // namespace

QString TaskLane::wait_target(ResourceId resource, WaitOp op, const PaintContext& ctx) {
    return render::wait_target(resource, op, ctx);
}

TaskLane::TaskLane(TaskId task, QString label, QString detail, double height)
    : Lane(Kind::task, std::move(label), std::move(detail), height), m_task(task) {}

QString TaskLane::describe(const view::TaskSpan& s, const PaintContext& ctx) {
    switch (s.state) {
        case view::TaskState::queued:
            return s.worker == kNoWorker ? QStringLiteral("queued (global queue)")
                                         : QStringLiteral("queued on thread %1").arg(s.worker);
        case view::TaskState::running:
            return QStringLiteral("running on thread %1").arg(s.worker);
        case view::TaskState::waiting:
            return wait_labels(s, ctx).front();
        case view::TaskState::blocked:
            return QStringLiteral("%1 — a blocking call, holding thread %2")
                .arg(wait_labels(s, ctx).front())
                .arg(s.worker);
        case view::TaskState::idle:
            return QStringLiteral("idle");
        case view::TaskState::done:
            return QStringLiteral("done");
    }
    return {};
}

void TaskLane::paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                     const PaintContext& ctx) const {
    const view::TaskInfo* t = data(ctx);
    if (!t) return;
    const Theme& th = *ctx.theme;
    const double left = rect.left();
    const double top = rect.top() + 3;
    const double h = rect.height() - 6;
    const bool dim = ctx.selected_task != 0 && ctx.selected_task != m_task;
    auto shade = [&](const QColor& c) { return dim ? blend(c, th.background, 0.65) : c; };

    if (selected(ctx)) p.fillRect(rect, th.selection_band);
    p.setBrush(Qt::NoBrush);
    p.setFont(*ctx.font);
    const QColor colour = th.task_colour(m_task);
    for (const view::DrawBlock& b :
         view::blocks(t->spans, axis, 1.0, ctx.indexed ? &m_index.of(t->spans) : nullptr)) {
        ++ctx.blocks_drawn;
        const double width = std::max(b.x1 - b.x0, 1.0);
        if (b.count > 1) {
            p.fillRect(QRectF(left + b.x0, top, width, h),
                       shade(blend(th.merged, th.background, 0.4)));
            continue;
        }
        const view::TaskSpan& s = t->spans[b.first];
        QRectF r(left + b.x0, top, width, h);
        switch (s.state) {
            case view::TaskState::running:
                p.fillRect(r, shade(colour));
                // A migration: polled on another worker than its previous poll — a small
                // notch at the poll's start (the tooltip names both threads).
                if (r.width() >= 4 && view::migrated_from(*ctx.model, *t, b.first) != kNoWorker) {
                    const QPointF notch[3] = {
                        {r.left(), r.top()}, {r.left() + 5, r.top()}, {r.left(), r.top() + 5}};
                    p.save();
                    p.setPen(Qt::NoPen);
                    p.setBrush(shade(th.text));
                    p.drawConvexPolygon(notch, 3);
                    p.restore();
                }
                break;
            case view::TaskState::queued:
                p.fillRect(r, shade(th.queued));
                break;
            case view::TaskState::waiting:
                r.adjust(0, 2, 0, -2);
                p.fillRect(r, shade(th.waiting));
                if (ctx.selected_resource != 0 && s.resource == ctx.selected_resource &&
                    s.op != WaitOp::join && s.op != WaitOp::sleep) {
                    p.setPen(QPen(th.selection, 1.5));
                    p.drawRect(r);
                }
                if (r.width() >= kLabelMinPx)
                    draw_wait_label(
                        p,
                        r.adjusted(4 + task_marks_left_inset(axis, s, ctx, m_task), -2,
                                   -3 - task_marks_right_inset(axis, s, ctx, m_task), 2),
                        s, ctx);
                break;
            case view::TaskState::blocked:
                // Its worker is held (the poll goes on) but nothing runs: hatched.
                p.fillRect(r, shade(blend(colour, th.background, 0.55)));
                p.fillRect(r, QBrush(shade(th.blocked_hatch), Qt::BDiagPattern));
                if (r.width() >= kLabelMinPx) draw_wait_label(p, r.adjusted(4, 0, -3, 0), s, ctx);
                break;
            case view::TaskState::idle:
                p.fillRect(QRectF(r.left(), r.center().y() - 1.5, r.width(), 3), shade(th.idle));
                break;
            case view::TaskState::done:
                break;
        }
    }

    paint_task_marks(p, axis, rect, ctx, m_task);

    // Where the task ended: a diamond in its outcome's colour.
    if (t->ended && t->outcome && *t->ended >= axis.start() && *t->ended <= axis.end()) {
        const double x = left + axis.x(*t->ended);
        const double cy = rect.center().y();
        const double r = std::min(5.0, rect.height() / 2 - 2);
        p.save();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(th.background, 1));
        p.setBrush(shade(th.outcome_colour(*t->outcome)));
        const QPointF diamond[4] = {{x, cy - r}, {x + r, cy}, {x, cy + r}, {x - r, cy}};
        p.drawConvexPolygon(diamond, 4);
        p.restore();
    }
}

Hit TaskLane::hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                       const PaintContext& ctx) const {
    Hit hit;
    const view::TaskInfo* t = data(ctx);
    if (!t) return hit;
    const view::Time at = axis.time(pos.x() - rect.left());
    hit.time = at;
    hit.task = m_task;
    const QString& name = ctx.task_name(m_task);
    if (t->ended && std::llabs(at - *t->ended) <= slop(axis, 5)) {
        hit.text = QStringLiteral("%1 (#%2) %3 at %4")
                       .arg(name)
                       .arg(m_task)
                       .arg(t->outcome ? QString::fromLatin1(to_string(*t->outcome))
                                       : QStringLiteral("ended"),
                            format_time(*t->ended));
        if (!t->error.empty()) hit.text += QLatin1Char('\n') + QString::fromStdString(t->error);
        return hit;
    }
    if (Hit mark = hit_task_marks(axis, rect, pos, ctx, m_task); !mark.empty()) return mark;
    const std::size_t i = view::first_visible(t->spans, at);
    if (i < t->spans.size() && t->spans[i].start <= at) {
        const view::TaskSpan& s = t->spans[i];
        if (s.state == view::TaskState::waiting && s.op != WaitOp::join && s.op != WaitOp::sleep)
            hit.resource = s.resource;
        hit.text = QStringLiteral("%1 (#%2) %3\n%4 → %5 (%6)")
                       .arg(name)
                       .arg(m_task)
                       .arg(describe(s, ctx), format_time(s.start), format_time(s.end),
                            format_duration(s.end - s.start));
        if (const WorkerId from = view::migrated_from(*ctx.model, *t, i); from != kNoWorker)
            hit.text += QStringLiteral(
                            "\nmigrated: thread %1 → thread %2 (a Send task may "
                            "move between workers; a spawn_local one never does)")
                            .arg(from)
                            .arg(s.worker);
        return hit;
    }
    hit.text = at < t->spawned ? QStringLiteral("%1 (#%2) not spawned yet").arg(name).arg(m_task)
                               : QStringLiteral("%1 (#%2) ended").arg(name).arg(m_task);
    return hit;
}

QString TaskLane::summary(const PaintContext& ctx) const {
    const view::TaskInfo* t = data(ctx);
    if (!t) return label();
    QString s =
        QStringLiteral("%1 (#%2)%3: %4 polls, busy %5, queued %6, %7")
            .arg(ctx.task_name(m_task))
            .arg(m_task)
            .arg(t->flavor == TaskFlavor::blocking ? QStringLiteral(" [blocking]") : QString())
            .arg(t->polls)
            .arg(format_duration(t->busy), format_duration(t->scheduled_wait),
                 t->outcome ? QString::fromLatin1(to_string(*t->outcome))
                            : QStringLiteral("still running"));
    if (!t->error.empty()) s += QLatin1Char('\n') + QString::fromStdString(t->error);
    return s;
}

}  // namespace spindle::render
