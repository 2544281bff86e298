#include "lane/worker_lane.h"

#include <algorithm>

#include "lane/task_lane.h"
#include "level_of_detail.h"
#include "thread_life.h"

namespace spindle::render {

namespace {
constexpr double kLabelMinPx = 20;  ///< narrower slices get no text
constexpr double kGapMinPx = 4;     ///< slices at least this wide keep a 1 px gap
}  // namespace

WorkerLane::WorkerLane(WorkerId worker, WorkerRole role, QString label, QString detail,
                       double height)
    : Lane(role == WorkerRole::blocking ? Kind::blocking
           : role == WorkerRole::thread ? Kind::thread
           : role == WorkerRole::rayon  ? Kind::rayon
                                        : Kind::worker,
           std::move(label), std::move(detail), height),
      m_worker(worker) {}

const view::WorkerTrack* WorkerLane::data(const PaintContext& ctx) const {
    const auto& workers = ctx.model->workers();
    return m_worker < workers.size() ? &workers[m_worker] : nullptr;
}

void WorkerLane::paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                       const PaintContext& ctx) const {
    const view::WorkerTrack* w = data(ctx);
    if (!w) return;
    const Theme& th = *ctx.theme;
    const double left = rect.left();
    const double top = rect.top() + 3;
    const double h = rect.height() - 6;

    // Parked time: a hatched band behind everything. On an OS-thread lane, the time
    // after its thread ended is no thread at all: an end mark, then an empty lane.
    const QBrush hatch(th.parked_hatch, Qt::BDiagPattern);
    if (w->role == WorkerRole::thread) {
        for (const view::Span& s : w->parked) {
            const view::Time end = s.end < 0 ? ctx.model->end_time() : s.end;
            if (end < axis.start() || s.start > axis.end()) continue;
            const double x0 = std::max(axis.x(s.start), -1.0);
            const double x1 = std::min(axis.x(end), axis.width());
            if (view::is_vacancy(*ctx.model, *w, s)) {
                paint_thread_end_mark(p, th, left + x0, top + h / 2, std::max(x1 - x0, 0.0));
            } else {
                const QRectF r(left + x0, top, std::max(x1 - x0, 1.0), h);
                p.fillRect(r, th.parked);
                p.fillRect(r, hatch);
            }
            ++ctx.blocks_drawn;
        }
    } else {
        for (const view::DrawBlock& b : view::blocks(
                 w->parked, axis, 1.0, ctx.indexed ? &m_parked_index.of(w->parked) : nullptr)) {
            const QRectF r(left + b.x0, top, std::max(b.x1 - b.x0, 1.0), h);
            p.fillRect(r, th.parked);
            p.fillRect(r, hatch);
            ++ctx.blocks_drawn;
        }
    }

    // Polls.
    const bool dim_others = ctx.selected_task != 0;
    p.setBrush(Qt::NoBrush);
    const QColor white = th.background;
    p.setFont(*ctx.font);
    for (const view::DrawBlock& b :
         view::blocks(w->polls, axis, 1.0, ctx.indexed ? &m_poll_index.of(w->polls) : nullptr)) {
        const double width = std::max(b.x1 - b.x0, 1.0);
        QRectF r(left + b.x0, top, width >= kGapMinPx ? width - 1 : width, h);
        ++ctx.blocks_drawn;
        if (b.count > 1) {
            bool has_selected = false;
            if (dim_others)
                for (std::uint32_t i = b.first; i < b.first + b.count && !has_selected; ++i)
                    has_selected = w->polls[i].task == ctx.selected_task;
            p.fillRect(r, dim_others && !has_selected ? blend(th.merged, white, 0.7) : th.merged);
            if (has_selected) {
                p.setPen(QPen(th.selection, 1.5));
                p.drawRect(r);
            }
            continue;
        }
        const view::PollSlice& s = w->polls[b.first];
        const QColor colour = th.task_colour(s.task);
        const bool is_selected = s.task == ctx.selected_task;
        p.fillRect(r, dim_others && !is_selected ? blend(colour, white, 0.75) : colour);
        if (is_selected) {
            p.setPen(QPen(th.selection, 1.5));
            p.drawRect(r);
        }
        if (r.width() < kLabelMinPx) continue;
        // Where a blocking call fills the poll, its label takes the right part.
        if (r.width() > 120) {
            const auto bl = std::partition_point(
                w->blocked.begin(), w->blocked.end(),
                [&](const view::BlockedSlice& x) { return x.start < s.start; });
            if (bl != w->blocked.end() && bl->start <= s.end) r.setWidth(r.width() * 0.45);
        }
        // Siblings' names share a beginning ("worker 1", "worker 2"): a short label
        // keeps the part that tells them apart ("wo…2", "…2").
        const QRectF text_rect = r.adjusted(4, 0, -3, 0);
        const QString text = ctx.short_task_name(s.task, text_rect.width());
        if (text.isEmpty()) continue;
        p.setPen(dim_others && !is_selected ? th.text_dim : th.text_on(colour));
        p.drawText(text_rect, Qt::AlignVCenter | Qt::AlignLeft, text);
    }

    // Blocking calls: the poll goes on, but the worker only waits — hatched and named.
    if (!w->blocked.empty()) {
        const auto& bl = w->blocked;
        auto it = std::partition_point(bl.begin(), bl.end(), [&](const view::BlockedSlice& s) {
            return s.end >= 0 && s.end < axis.start();
        });
        for (; it != bl.end() && it->start <= axis.end(); ++it) {
            const view::Time end = it->end < 0 ? axis.end() : it->end;
            const double x0 = std::max(axis.x(it->start), 0.0);
            const double x1 = std::min(axis.x(end), axis.width());
            if (x1 - x0 < 1) continue;
            const QRectF r(left + x0, top, x1 - x0, h);
            p.fillRect(r, QBrush(th.blocked_hatch, Qt::BDiagPattern));
            // The poll's own label sits at its left edge: keep clear of it.
            const auto poll = std::partition_point(
                w->polls.begin(), w->polls.end(),
                [&](const view::PollSlice& s) { return s.start <= it->start; });
            double reserved = 0;
            if (poll != w->polls.begin()) {
                const double poll_x = left + axis.x(std::prev(poll)->start);
                reserved = std::max(0.0, poll_x + 4 + 0.45 * (r.right() - poll_x) - r.left());
            }
            const QRectF text_rect = r.adjusted(4 + reserved, 0, -3, 0);
            if (text_rect.width() < 60) continue;
            const QString text =
                QStringLiteral("blocked: ") + TaskLane::wait_target(it->resource, it->op, ctx);
            p.setPen(th.text);
            p.drawText(
                text_rect, Qt::AlignVCenter | Qt::AlignRight,
                QFontMetricsF(*ctx.font).elidedText(text, Qt::ElideRight, text_rect.width()));
        }
    }

    // Steals: a small triangle hanging from the top edge, at most one per few pixels.
    if (!w->steals.empty()) {
        p.save();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(th.steal);
        const auto& steals = w->steals;
        const auto first = static_cast<std::size_t>(
            std::partition_point(steals.begin(), steals.end(),
                                 [&](const view::StealMark& m) { return m.time < axis.start(); }) -
            steals.begin());
        const std::size_t limit =
            ctx.indexed ? static_cast<std::size_t>(
                              std::partition_point(
                                  steals.begin() + static_cast<std::ptrdiff_t>(first), steals.end(),
                                  [&](const view::StealMark& m) { return m.time <= axis.end(); }) -
                              steals.begin())
                        : steals.size();
        double last_x = -1e9;
        std::size_t stride = 0;  // steals between the last two drawn: the next search's guess
        for (std::size_t i = first; i < steals.size() && steals[i].time <= axis.end(); ++i) {
            if (ctx.indexed) {
                // The next one drawn: the first at least 3 pixels on.
                const std::size_t next = view::first_true(
                    i, limit,
                    [&](std::size_t j) { return left + axis.x(steals[j].time) - last_x >= 3; },
                    stride);
                if (next >= limit) break;
                stride = next - i;
                i = next;
            }
            const double x = left + axis.x(steals[i].time);
            if (x - last_x < 3) continue;
            last_x = x;
            const QPointF tri[3] = {{x - 4, rect.top()}, {x + 4, rect.top()}, {x, rect.top() + 7}};
            p.drawConvexPolygon(tri, 3);
        }
        p.restore();
    }
}

void paint_thread_end_mark(QPainter& p, const Theme& th, double x, double cy, double width) {
    // The end cap: a short bar where the thread ended, then a thin line for the
    // empty lane.
    p.fillRect(QRectF(x, cy - 6, 2, 12), th.text_dim);
    if (width > 3) p.fillRect(QRectF(x + 2, cy - 0.5, width - 2, 1), th.separator);
}

std::size_t WorkerLane::index_bytes() const {
    return m_poll_index.memory_bytes() + m_parked_index.memory_bytes();
}

Hit WorkerLane::hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                         const PaintContext& ctx) const {
    Hit hit;
    const view::WorkerTrack* w = data(ctx);
    if (!w) return hit;
    const view::Time t = axis.time(pos.x() - rect.left());
    const view::Time tol = slop(axis);
    hit.time = t;
    hit.worker = m_worker;

    // Steals first: they are drawn on top.
    if (pos.y() < rect.top() + 9) {
        auto it =
            std::partition_point(w->steals.begin(), w->steals.end(),
                                 [&](const view::StealMark& m) { return m.time < t - 2 * tol; });
        if (it != w->steals.end() && it->time <= t + 2 * tol) {
            hit.text = QStringLiteral("%1 stole %2 task(s) from thread %3 at %4")
                           .arg(label())
                           .arg(it->count)
                           .arg(it->victim)
                           .arg(format_time(it->time));
            return hit;
        }
    }
    // A blocking call under the point.
    for (const view::BlockedSlice& s : w->blocked) {
        if (s.start > t) break;
        const view::Time end = s.end < 0 ? ctx.model->end_time() : s.end;
        if (t >= end) continue;
        hit.task = s.task;
        hit.text = QStringLiteral(
                       "%1 blocked in %2 on %3 by %4 (#%5)\n%6 → %7 (%8): a blocking "
                       "call keeps the thread — nothing else runs here meanwhile")
                       .arg(label(), QString::fromLatin1(to_string(s.op)),
                            TaskLane::wait_target(s.resource, s.op, ctx), ctx.task_name(s.task))
                       .arg(s.task)
                       .arg(format_time(s.start), format_time(end), format_duration(end - s.start));
        return hit;
    }
    // The poll under the point; the nearest within a couple of pixels otherwise.
    const std::size_t i = view::first_visible(w->polls, t - tol);
    if (i < w->polls.size() && w->polls[i].start <= t + tol) {
        std::size_t best = i;
        for (std::size_t j = i; j < w->polls.size() && w->polls[j].start <= t + tol; ++j)
            if (w->polls[j].start <= t && t < w->polls[j].end) best = j;
        const view::PollSlice& s = w->polls[best];
        hit.task = s.task;
        hit.text = QStringLiteral("%1 (#%2) polled on %3\n%4 → %5 (%6)%7")
                       .arg(ctx.task_name(s.task))
                       .arg(s.task)
                       .arg(label(), format_time(s.start), format_time(s.end),
                            format_duration(s.end - s.start),
                            s.ready ? QStringLiteral("\npoll returned Ready: the task finished")
                                    : QString());
        return hit;
    }
    const std::size_t k = view::first_visible(w->parked, t);
    if (k < w->parked.size() && w->parked[k].start <= t) {
        const view::Span& s = w->parked[k];
        if (const TaskId ended = view::ended_before(*ctx.model, *w, s)) {
            hit.task = ended;
            hit.text = QStringLiteral("%1: no thread here\n%2 (#%3) ended at %4")
                           .arg(label(), ctx.task_name(ended))
                           .arg(ended)
                           .arg(format_time(s.start));
            return hit;
        }
        hit.text = QStringLiteral("%1 parked\n%2 → %3 (%4)")
                       .arg(label(), format_time(s.start), format_time(s.end),
                            format_duration(s.end - s.start));
        return hit;
    }
    hit.text = QStringLiteral("%1: searching for work at %2").arg(label(), format_time(t));
    return hit;
}

QString WorkerLane::summary(const PaintContext& ctx) const {
    const view::WorkerTrack* w = data(ctx);
    if (!w) return label();
    view::Time busy = 0;
    for (const view::PollSlice& s : w->polls)
        busy += s.end - s.start;
    return QStringLiteral("%1: %2 polls, busy %3, %4 steals")
        .arg(label())
        .arg(w->polls.size())
        .arg(format_duration(busy))
        .arg(w->steals.size());
}

}  // namespace spindle::render
