#include "lane/race_marks_painter.h"

#include <algorithm>
#include <cmath>

#include <QStringList>

#include "lane/task_lane.h"
#include "task_marks.h"

namespace spindle::render {

namespace {
constexpr double kFlagPx = 6;      ///< the winner flag's pennant width
constexpr double kChipPad = 3;     ///< text padding inside a chip
constexpr double kCrossPx = 3;     ///< half the size of a cancel cross
constexpr double kLateRadius = 4;  ///< the hollow late mark

/// A hit-test's tolerance in ns: a few pixels at this zoom (as Lane::slop).
view::Time tolerance(const view::TimeAxis& axis, double px) {
    return static_cast<view::Time>(axis.ns_per_px() * px) + 1;
}

bool visible(const view::TimeAxis& axis, view::Time t, double margin_px = 60) {
    const double x = axis.x(t);
    return x >= -margin_px && x <= axis.width() + margin_px;
}

/// The winning branch's name: its select's name for it, else "branch N".
QString winner_name(const view::SelectRace& s) {
    return s.winner_name.empty() ? QStringLiteral("branch %1").arg(s.winner)
                                 : QString::fromStdString(s.winner_name);
}

/// A timer won (a timeout): drawn in the warning colour; another branch in ok.
bool timer_won(const view::SelectRace& s) {
    return s.winner < s.armed.size() && s.armed[s.winner].op == WaitOp::sleep;
}

QColor winner_colour(const view::SelectRace& s, const Theme& th) {
    return timer_won(s) ? th.warn : th.ok;
}

QString lag_text(const view::TaskLag& l) {
    return QStringLiteral("lagged %1").arg(l.skipped);
}

QString seen_text(const view::WatchSeen& s) {
    QString text = QString::fromStdString(view::version_label(s.version));
    const std::string skipped = view::skipped_label(s);
    if (!skipped.empty()) text += QStringLiteral(" \u00b7 ") + QString::fromStdString(skipped);
    return text;
}

double chip_width(const QString& text, const PaintContext& ctx) {
    return ctx.metrics->horizontalAdvance(text) + 2 * kChipPad;
}

/// A label chip starting at x: `fill` behind `text` in `pen`.
void draw_chip(QPainter& p, double x, const QRectF& rect, const QString& text, const QColor& fill,
               const QColor& pen, const PaintContext& ctx) {
    const QRectF box(x, rect.top() + 3, chip_width(text, ctx), rect.height() - 6);
    p.fillRect(box, fill);
    p.setPen(pen);
    p.drawText(box, Qt::AlignCenter, text);
}

/// The chips of a task lane's lags and watch versions, with where they start.
struct Chip {
    view::Time time = 0;
    QString text;
    bool lag = false;
    std::uint64_t skipped = 0;
    ResourceId chan = 0;
};

std::vector<Chip> chips_of(const PaintContext& ctx, TaskId task) {
    std::vector<Chip> out;
    for (const view::TaskLag& l : view::lags_of_task(*ctx.model, task))
        out.push_back(Chip{l.time, lag_text(l), true, l.skipped, l.chan});
    for (const view::WatchSeen& s : view::watch_seen_by(*ctx.model, task))
        out.push_back(Chip{s.time, seen_text(s), false, s.skipped(), s.chan});
    std::stable_sort(out.begin(), out.end(),
                     [](const Chip& a, const Chip& b) { return a.time < b.time; });
    return out;
}

/// Where the chip of `c`, marked at x, starts: a lag's ends just before the mark.
double chip_left(const Chip& c, double x, const PaintContext& ctx) {
    return c.lag ? x - 3 - chip_width(c.text, ctx) : x + 3;
}

QString channel_name(ResourceId id, const PaintContext& ctx) {
    const view::ResourceTrack* r = ctx.model->resource(id);
    return r && !r->name.empty() ? QString::fromStdString(r->name) : QStringLiteral("#%1").arg(id);
}

QString describe_select(const view::SelectRace& s, const PaintContext& ctx) {
    QStringList branches;
    for (std::size_t i = 0; i < s.armed.size(); ++i) {
        const view::SelectBranch& b = s.armed[i];
        QString text = TaskLane::wait_target(b.resource, b.op, ctx);
        if (i == s.winner)
            text += QStringLiteral(" (won)");
        else if (b.cancelled)
            text += b.op == WaitOp::sleep ? QStringLiteral(" (timer cancelled)")
                                          : QStringLiteral(" (dropped without effect)");
        branches << QStringLiteral("%1: %2").arg(i).arg(text);
    }
    QString out = QStringLiteral("%1 (#%2): select won by branch %3 \u201c%4\u201d at %5, after %6")
                      .arg(ctx.task_name(s.task))
                      .arg(s.task)
                      .arg(s.winner)
                      .arg(winner_name(s), format_time(s.end), format_duration(s.end - s.start));
    if (!branches.isEmpty()) out += QStringLiteral("\n") + branches.join(QStringLiteral("\n"));
    return out;
}
}  // namespace

void paint_task_marks(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                      const PaintContext& ctx, TaskId task) {
    const Theme& th = *ctx.theme;
    const view::RaceMarks& races = ctx.model->races();
    const double left = rect.left();
    p.save();
    p.setFont(*ctx.font);

    // Selects: a bracket under each race, a flag where it completes, the winner named.
    double last_flag = -1e9;
    for (const view::SelectRace& s : races.selects()) {
        if (s.start > axis.end()) break;
        if (s.task != task || s.end < 0 || s.end < axis.start()) continue;
        const double x0 = left + std::max(axis.x(s.start), -1.0);
        const double x1 = left + axis.x(s.end);
        const QColor colour = winner_colour(s, th);
        p.setRenderHint(QPainter::Antialiasing, false);
        if (x1 - x0 >= 3) {
            const double y = rect.bottom() - 1.5;
            p.setPen(QPen(th.capacity, 1));
            p.drawLine(QPointF(x0, y), QPointF(x1, y));
            p.drawLine(QPointF(x0, y - 3), QPointF(x0, y));
        }
        if (x1 - last_flag < 2) continue;
        last_flag = x1;
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(colour, 1.5));
        p.drawLine(QPointF(x1, rect.top() + 2), QPointF(x1, rect.bottom() - 2));
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        const QPointF pennant[3] = {
            {x1, rect.top() + 2}, {x1 - kFlagPx, rect.top() + 4.5}, {x1, rect.top() + 7}};
        p.drawConvexPolygon(pennant, 3);
        p.setBrush(Qt::NoBrush);
        const QString name = winner_name(s);
        const double w = ctx.metrics->horizontalAdvance(name);
        if (x1 - x0 >= w + kFlagPx + 8) {
            p.setPen(colour);
            p.drawText(QRectF(x1 - kFlagPx - 3 - w, rect.top(), w, rect.height()),
                       Qt::AlignVCenter | Qt::AlignRight, name);
        }
    }

    // Losers cancelled: a cross on the lower half (a timer, or a wait dropped).
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(th.alert, 1.5));
    double last_cross = -1e9;
    const auto& cancels = races.cancels();
    for (auto c =
             std::partition_point(cancels.begin(), cancels.end(),
                                  [&](const view::CancelMark& m) { return axis.x(m.time) < -8; });
         c != cancels.end() && axis.x(c->time) <= axis.width() + 8; ++c) {
        if (c->task != task) continue;
        const double x = left + axis.x(c->time);
        if (x - last_cross < 2) continue;
        last_cross = x;
        const double cy = rect.bottom() - 3 - kCrossPx;
        p.drawLine(QPointF(x - kCrossPx, cy - kCrossPx), QPointF(x + kCrossPx, cy + kCrossPx));
        p.drawLine(QPointF(x - kCrossPx, cy + kCrossPx), QPointF(x + kCrossPx, cy - kCrossPx));
    }

    // Lags and watch versions: a marker and a chip with the count or the version.
    const std::vector<Chip> chips = chips_of(ctx, task);
    double free_from = -1e9;  // chips never overlap: a later one is skipped
    for (std::size_t i = 0; i < chips.size(); ++i) {
        const Chip& c = chips[i];
        if (!visible(axis, c.time, 200)) continue;
        const double x = left + axis.x(c.time);
        if (c.lag) {
            p.setPen(Qt::NoPen);
            p.setBrush(th.steal);
            const QPointF tri[3] = {QPointF(x - 4, rect.top() + 1), QPointF(x + 4, rect.top() + 1),
                                    QPointF(x, rect.top() + 7)};
            p.drawConvexPolygon(tri, 3);
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(QPen(th.text, 2));
            p.drawLine(QPointF(x, rect.top() + 1), QPointF(x, rect.bottom() - 1));
        }
        // A lag's chip ends at its mark (the work after it stays visible); a
        // version's starts there. Chips never overlap: one without room is left to
        // the tooltip.
        const double w = chip_width(c.text, ctx);
        const double x0 = chip_left(c, x, ctx);
        if (x0 < free_from) continue;
        if (!c.lag) {
            const double next = i + 1 < chips.size() ? left + axis.x(chips[i + 1].time) : 1e18;
            if (x0 + w > next) continue;
        }
        if (c.lag)
            draw_chip(p, x0, rect, c.text, th.steal, th.text_light, ctx);
        else
            draw_chip(p, x0, rect, c.text, th.background, c.skipped ? th.alert : th.text, ctx);
        free_from = x0 + w + 2;
    }
    p.restore();
}

Hit hit_task_marks(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                   const PaintContext& ctx, TaskId task) {
    Hit hit;
    const view::Time at = axis.time(pos.x() - rect.left());
    const view::Time tol = tolerance(axis, 4);
    const view::RaceMarks& races = ctx.model->races();
    hit.time = at;
    hit.task = task;
    for (const view::SelectRace& s : races.selects()) {
        if (s.start > at + tol) break;
        if (s.task == task && s.end >= 0 && std::llabs(s.end - at) <= tol) {
            hit.text = describe_select(s, ctx);
            return hit;
        }
    }
    for (const view::CancelMark& c : races.cancels()) {
        if (c.task != task || std::llabs(c.time - at) > tol) continue;
        hit.text =
            c.kind == view::CancelMark::Kind::timer
                ? QStringLiteral("%1 (#%2): timer %3 cancelled at %4 (was due %5)")
                      .arg(ctx.task_name(task))
                      .arg(task)
                      .arg(c.timer)
                      .arg(format_time(c.time), format_time(c.deadline))
                : QStringLiteral("%1 (#%2): %3 dropped without effect at %4")
                      .arg(ctx.task_name(task))
                      .arg(task)
                      .arg(TaskLane::wait_target(c.resource, c.op, ctx), format_time(c.time));
        return hit;
    }
    for (const Chip& c : chips_of(ctx, task)) {
        const double x = rect.left() + axis.x(c.time);
        const double x0 = chip_left(c, x, ctx);
        const bool on_chip = pos.x() >= x0 && pos.x() <= x0 + chip_width(c.text, ctx);
        if (!on_chip && std::llabs(c.time - at) > tol) continue;
        hit.resource = c.chan;
        hit.text = c.lag ? QStringLiteral("%1 (#%2) lagged on %3 at %4: skipped %5 messages")
                               .arg(ctx.task_name(task))
                               .arg(task)
                               .arg(channel_name(c.chan, ctx), format_time(c.time))
                               .arg(c.skipped)
                         : QStringLiteral("%1 (#%2) saw %3 %4 at %5")
                               .arg(ctx.task_name(task))
                               .arg(task)
                               .arg(channel_name(c.chan, ctx), c.text, format_time(c.time));
        return hit;
    }
    return Hit{};
}

// The insets are asked per labelled span: they search by time (every list is
// sorted by it) instead of walking the whole run.

double task_marks_right_inset(const view::TimeAxis& axis, const view::TaskSpan& span,
                              const PaintContext& ctx, TaskId task) {
    const view::Time tol = tolerance(axis, 3);
    // A select ending here started inside this span (a select's wait starts with it).
    const auto& selects = ctx.model->races().selects();
    auto it = std::upper_bound(selects.begin(), selects.end(), span.end + tol,
                               [](view::Time t, const view::SelectRace& s) { return t < s.start; });
    while (it != selects.begin()) {
        --it;
        if (it->start < span.start - tol) break;
        if (it->task == task && it->end >= span.end - tol && it->end <= span.end + tol)
            return ctx.metrics->horizontalAdvance(winner_name(*it)) + kFlagPx + 8;
    }
    for (const view::ResourceTrack& r : ctx.model->resources()) {
        auto lag = std::partition_point(r.lags.begin(), r.lags.end(), [&](const view::LagMark& l) {
            return l.time < span.end - tol;
        });
        for (; lag != r.lags.end() && lag->time <= span.end + tol; ++lag)
            if (lag->task == task)
                return chip_width(lag_text(view::TaskLag{lag->time, r.id, lag->skipped}), ctx) + 6;
    }
    return 0;
}

double task_marks_left_inset(const view::TimeAxis& axis, const view::TaskSpan& span,
                             const PaintContext& ctx, TaskId task) {
    const view::Time tol = tolerance(axis, 3);
    const auto& seen = ctx.model->races().watch_seen();
    auto it = std::partition_point(seen.begin(), seen.end(), [&](const view::WatchSeen& w) {
        return w.time < span.start - tol;
    });
    for (; it != seen.end() && it->time <= span.start + tol; ++it)
        if (it->task == task) return chip_width(seen_text(*it), ctx) + 6;
    return 0;
}

void paint_channel_marks(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                         const PaintContext& ctx, ResourceId chan) {
    const Theme& th = *ctx.theme;
    const view::RaceMarks& races = ctx.model->races();
    const double left = rect.left();
    const double cy = rect.center().y();
    p.save();
    p.setFont(*ctx.font);
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const view::LateMark& l : races.lates()) {
        if (l.chan != chan || !visible(axis, l.time, 40)) continue;
        const double x = left + axis.x(l.time);
        if (l.receiver_left >= 0) {
            // Where the receiver gave up: a bar, dotted on to the late message.
            const double xl = left + std::max(axis.x(l.receiver_left), -1.0);
            p.setPen(QPen(th.text_dim, 1.5));
            p.drawLine(QPointF(xl, rect.top() + 4), QPointF(xl, rect.bottom() - 4));
            p.setPen(QPen(th.alert, 1.2, Qt::DotLine));
            p.drawLine(QPointF(xl, cy), QPointF(x - kLateRadius, cy));
        }
        p.setPen(QPen(th.alert, 1.5));
        p.setBrush(th.background);
        p.drawEllipse(QPointF(x, cy), kLateRadius, kLateRadius);
        p.setBrush(Qt::NoBrush);
        const QString text = QStringLiteral("late");
        p.drawText(QRectF(x + kLateRadius + 3, rect.top(), ctx.metrics->horizontalAdvance(text) + 2,
                          rect.height()),
                   Qt::AlignVCenter | Qt::AlignLeft, text);
    }
    // A watch: the version each send published, above its tick.
    double free_from = -1e9;
    for (const view::WatchVersion& v : races.watch_versions()) {
        if (v.chan != chan || !visible(axis, v.time, 20)) continue;
        const double x = left + axis.x(v.time);
        if (x + 2 < free_from) continue;
        const QString text = QString::fromStdString(view::version_label(v.version));
        const double w = ctx.metrics->horizontalAdvance(text);
        p.setPen(th.text);
        p.drawText(QRectF(x + 3, rect.top() + 1, w + 2, rect.height() - 8),
                   Qt::AlignTop | Qt::AlignLeft, text);
        free_from = x + 3 + w + 4;
    }
    p.restore();
}

Hit hit_channel_marks(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                      const PaintContext& ctx, ResourceId chan) {
    Hit hit;
    const view::Time at = axis.time(pos.x() - rect.left());
    const view::Time tol = tolerance(axis, 5);
    hit.time = at;
    hit.resource = chan;
    for (const view::LateMark& l : ctx.model->races().lates()) {
        if (l.chan != chan) continue;
        const double x = rect.left() + axis.x(l.time);
        const bool on_mark =
            pos.x() >= x - kLateRadius - 1 &&
            pos.x() <= x + kLateRadius + 4 + ctx.metrics->horizontalAdvance("late");
        if (on_mark || std::llabs(l.time - at) <= tol) {
            hit.task = l.sender;
            hit.text =
                QStringLiteral("%1: late message by %2 at %3, never received")
                    .arg(channel_name(chan, ctx), ctx.task_name(l.sender), format_time(l.time));
            if (l.receiver_left >= 0)
                hit.text +=
                    QStringLiteral("\n%1 had given up %2 earlier (dropped the receiver at %3)")
                        .arg(ctx.task_name(l.receiver), format_duration(l.time - l.receiver_left),
                             format_time(l.receiver_left));
            return hit;
        }
        if (l.receiver_left >= 0 && std::llabs(l.receiver_left - at) <= tol) {
            hit.task = l.receiver;
            hit.text = QStringLiteral("%1: %2 gave up and dropped the receiver at %3")
                           .arg(channel_name(chan, ctx), ctx.task_name(l.receiver),
                                format_time(l.receiver_left));
            return hit;
        }
    }
    return Hit{};
}

void add_race_legend(std::vector<LegendEntry>& out, const QFontMetricsF& fm, const Theme& th,
                     const view::RunModel& model) {
    const view::RaceMarks& races = model.races();
    auto add = [&](double mark_width, const QString& text,
                   std::function<void(QPainter&, double, double)> mark) {
        out.push_back(legend_entry(mark_width, text, fm, [mark](QPainter& p, double x, double cy) {
            p.setRenderHint(QPainter::Antialiasing, true);
            mark(p, x, cy);
        }));
    };
    if (!races.selects().empty())
        add(24, QStringLiteral("select won"), [&th = th](QPainter& p, double x, double cy) {
            for (const QColor& c : {th.ok, th.warn}) {
                p.setPen(QPen(c, 1.5));
                p.drawLine(QPointF(x + 7, cy - 6), QPointF(x + 7, cy + 6));
                p.setPen(Qt::NoPen);
                p.setBrush(c);
                const QPointF pennant[3] = {{x + 7, cy - 6}, {x + 1, cy - 3.5}, {x + 7, cy - 1}};
                p.drawConvexPolygon(pennant, 3);
                x += 10;
            }
        });
    if (!races.cancels().empty())
        add(12, QStringLiteral("cancelled"), [&th = th](QPainter& p, double x, double cy) {
            p.setPen(QPen(th.alert, 1.5));
            p.drawLine(QPointF(x + 1, cy - 3), QPointF(x + 7, cy + 3));
            p.drawLine(QPointF(x + 1, cy + 3), QPointF(x + 7, cy - 3));
        });
    if (!races.lates().empty())
        add(14, QStringLiteral("late"), [&th = th](QPainter& p, double x, double cy) {
            p.setPen(QPen(th.alert, 1.5));
            p.setBrush(th.background);
            p.drawEllipse(QPointF(x + 5, cy), kLateRadius, kLateRadius);
        });
    if (!races.watch_seen().empty())
        add(8, QStringLiteral("version seen"), [&th = th](QPainter& p, double x, double cy) {
            p.setPen(QPen(th.text, 2));
            p.drawLine(QPointF(x + 2, cy - 6), QPointF(x + 2, cy + 6));
        });
}

}  // namespace spindle::render
