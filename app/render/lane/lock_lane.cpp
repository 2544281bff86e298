#include "lane/lock_lane.h"

#include <algorithm>
#include <limits>

#include <QStringList>

#include "level_of_detail.h"

namespace spindle::render {

namespace {
constexpr double kLabelRow = 14;      ///< the counts' row ("5 readers") at the top
constexpr double kQueueShare = 0.30;  ///< of the lane's height, for the queue step
constexpr double kLabelMinPx = 30;    ///< narrower spans get no name

/// "read" / "write" for an rwlock hold, "3 permits" for a semaphore, else "".
QString hold_mode(const view::ResourceTrack& r, const view::HoldSpan& h) {
    if (r.kind == ResourceKind::rwlock)
        return h.mode == LockMode::shared ? QStringLiteral("read") : QStringLiteral("write");
    if (r.kind == ResourceKind::semaphore)
        return h.permits == 1 ? QStringLiteral("1 permit")
                              : QStringLiteral("%1 permits").arg(h.permits);
    return {};
}

/// "readers" for an rwlock, "holders" otherwise; "waiting" for signals.
QString holders_word(const view::ResourceTrack& r, std::uint32_t n) {
    if (r.kind == ResourceKind::rwlock)
        return n == 1 ? QStringLiteral("1 reader") : QStringLiteral("%1 readers").arg(n);
    if (r.kind == ResourceKind::notify || r.kind == ResourceKind::barrier)
        return QStringLiteral("%1 waiting").arg(n);
    return n == 1 ? QStringLiteral("1 holder") : QStringLiteral("%1 holders").arg(n);
}

/// A waiter as the tooltip names it: "refresher (write)"; other ops say nothing.
QString waiter_text(const view::LockWait& w, const PaintContext& ctx) {
    const QString name = ctx.task_name(w.task);
    if (w.op == WaitOp::read || w.op == WaitOp::write)
        return QStringLiteral("%1 (%2)").arg(name, QString::fromLatin1(to_string(w.op)));
    return name;
}

QString range_text(view::Time a, view::Time b) {
    return QStringLiteral("%1–%2").arg(format_time(a), format_time(b));
}
}  // namespace

LockLane::LockLane(ResourceId resource, QString label, QString detail, double height)
    : Lane(Kind::lock, std::move(label), std::move(detail), height), m_resource(resource) {}

bool LockLane::is_signal(const view::ResourceTrack& r) {
    return r.kind == ResourceKind::notify || r.kind == ResourceKind::barrier;
}

LockLane::Bands LockLane::bands(const QRectF& rect) {
    const double queue_h = std::max(8.0, std::round(rect.height() * kQueueShare));
    Bands b;
    b.labels = QRectF(rect.left(), rect.top() + 1, rect.width(), kLabelRow);
    const double top = b.labels.bottom() + 1;
    b.holds = QRectF(rect.left(), top, rect.width(), rect.bottom() - queue_h - 2 - top);
    b.queue = QRectF(rect.left(), rect.bottom() - queue_h, rect.width(), queue_h - 1);
    return b;
}

std::span<const view::HoldSpan> LockLane::spans(const view::ResourceTrack& r) const {
    stack(r);  // refreshes the cache
    if (is_signal(r)) return m_wait_spans;
    return r.holds;
}

const view::HoldStack& LockLane::stack(const view::ResourceTrack& r) const {
    const auto& waits = r.waiters.waits();
    if (m_cached_holds == r.holds.size() && m_cached_waits == waits.size()) return m_stack;
    m_cached_holds = r.holds.size();
    m_cached_waits = waits.size();
    if (is_signal(r)) {
        // The waits, as shared "holds" of a place in the queue (open ones: still there).
        m_wait_spans.clear();
        m_wait_spans.reserve(waits.size());
        for (const view::LockWait& w : waits)
            m_wait_spans.push_back(view::HoldSpan{w.start, w.end < 0 ? view::Time(1) << 62 : w.end,
                                                  w.task, LockMode::shared, 1});
        m_stack = view::stack_holds(m_wait_spans);
    } else {
        m_stack = view::stack_holds(r.holds);
    }
    return m_stack;
}

QRectF LockLane::span_rect(const view::ResourceTrack& r, std::size_t i, const view::TimeAxis& axis,
                           const QRectF& band) const {
    const view::HoldSpan& h = spans(r)[i];
    const double x0 = band.left() + axis.x(h.start);
    const view::Time end = h.end < 0 ? axis.end() + 1 : h.end;  // still held (a live run)
    const double x1 = band.left() + axis.x(std::min(end, axis.end() + 1));
    if (h.mode == LockMode::exclusive) return QRectF(x0, band.top(), x1 - x0, band.height());
    const std::uint32_t rows = std::max<std::uint32_t>(m_stack.peak, 1);
    const double row_h = band.height() / rows;
    const double gap = row_h >= 5 ? 1 : 0;
    const double y = band.bottom() - (m_stack.slots[i] + 1) * row_h;
    return QRectF(x0, y + gap, x1 - x0, row_h - gap);
}

void LockLane::paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                     const PaintContext& ctx) const {
    const view::ResourceTrack* r = data(ctx);
    if (!r) return;
    if (selected(ctx)) p.fillRect(rect, ctx.theme->selection_band);
    const Bands b = bands(rect);
    paint_holds(p, axis, b.holds, *r, ctx);
    paint_counts(p, axis, b.labels, *r, ctx);
    paint_queue(p, axis, b.queue, *r, ctx);
    paint_releases(p, axis, rect, *r, ctx);
}

void LockLane::paint_holds(QPainter& p, const view::TimeAxis& axis, const QRectF& band,
                           const view::ResourceTrack& r, const PaintContext& ctx) const {
    const Theme& th = *ctx.theme;
    const auto& all = spans(r);
    const bool signal = is_signal(r);
    // Per row, where the last drawn span ended: spans under a pixel merge.
    std::vector<double> last_x(std::max<std::uint32_t>(m_stack.peak, 1) + 1, -1e9);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    // A mutex's holds never overlap (sorted by start, so by end too; only the last may
    // be open): the first one in view is found by its end, and the next one drawn is
    // either a pixel wide or ends a pixel past the last drawn (everything between
    // merges into that one), so a frame jumps from one drawn hold to the next.
    const bool jump = ctx.indexed && r.kind == ResourceKind::mutex;
    std::size_t first = 0, limit = all.size(), stride = 0;
    const auto length = [&all](std::size_t j) {
        return all[j].end < 0 ? std::numeric_limits<std::int64_t>::max()
                              : all[j].end - all[j].start;
    };
    const view::Time view_end = axis.end() + 1;
    const auto right_of = [&](std::size_t j) {  // as span_rect's right edge
        const view::Time end = all[j].end < 0 ? view_end : all[j].end;
        return band.left() + axis.x(std::min(end, view_end));
    };
    const std::int64_t threshold = view::merge_threshold(axis, 1.0);
    if (jump) {
        m_hold_length.update(all.size(), length);
        first = static_cast<std::size_t>(std::partition_point(all.begin(), all.end(),
                                                              [&](const view::HoldSpan& h) {
                                                                  return h.end >= 0 &&
                                                                         h.end < axis.start();
                                                              }) -
                                         all.begin());
        limit = static_cast<std::size_t>(
            std::partition_point(all.begin() + static_cast<std::ptrdiff_t>(first), all.end(),
                                 [&](const view::HoldSpan& h) { return h.start <= axis.end(); }) -
            all.begin());
    }
    for (std::size_t i = first; i < all.size(); ++i) {
        if (jump) {
            // The margin keeps every hold jumped over under the edge whatever
            // QRectF's right() rounds (it adds the width back to the left).
            const double edge = last_x.back() + 1 - 1e-6;
            const std::size_t past = view::first_true(
                i, limit, [&](std::size_t j) { return right_of(j) >= edge; }, stride);
            const std::size_t next =
                std::min(past, m_hold_length.first_reaching(i, past, threshold, length));
            if (next >= limit) break;
            stride = next - i;
            i = next;
        }
        const view::HoldSpan& h = all[i];
        if (h.start > axis.end()) break;
        if (h.end >= 0 && h.end < axis.start()) continue;
        QRectF box = span_rect(r, i, axis, band);
        const std::size_t row =
            h.mode == LockMode::exclusive ? last_x.size() - 1 : m_stack.slots[i];
        if (box.right() < last_x[row] + 1 && box.width() < 1) continue;
        box.setWidth(std::max(box.width(), 1.0));
        last_x[row] = box.right();
        QColor fill = th.task_colour(h.task);
        if (signal) fill = blend(fill, th.background, 0.55);
        p.fillRect(box, fill);
        ++ctx.blocks_drawn;
        const bool writer = r.kind == ResourceKind::rwlock && h.mode == LockMode::exclusive;
        if (writer && box.width() >= 3) {
            // The writer: outlined, so it reads as "alone" against the readers' stacks.
            p.setPen(QPen(th.text, 1.5));
            p.setBrush(Qt::NoBrush);
            p.drawRect(box.adjusted(0.75, 0.75, -0.75, -0.75));
        }
        // The holder's name where it fits (one row tall at least a line).
        if (box.width() >= kLabelMinPx && box.height() >= ctx.metrics->height() - 2) {
            QString name = ctx.task_name(h.task);
            if (writer) name += QStringLiteral(" (write)");
            if (ctx.metrics->horizontalAdvance(name) > box.width() - 6)
                name = ctx.short_task_name(h.task, box.width() - 6);
            if (!name.isEmpty()) {
                p.setFont(*ctx.font);
                p.setPen(signal ? th.text_dim : th.text_on(fill));
                p.drawText(box.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft, name);
            }
        }
    }
    p.restore();
}

std::optional<double> place_count_label(double from, double to, double peak_mid, double width,
                                        double left, double right, double taken) {
    double x = peak_mid - width / 2;
    if (to - from >= width) x = std::clamp(x, from, to - width);
    if (x < left) {
        if (left + width > to) return std::nullopt;
        x = left;
    }
    if (x < taken || x + width > right + 1) return std::nullopt;
    return x;
}

void LockLane::paint_counts(QPainter& p, const view::TimeAxis& axis, const QRectF& row,
                            const view::ResourceTrack& r, const PaintContext& ctx) const {
    // "5 readers" in the row above the stack, once per stretch of shared holding (or
    // waiting, for signals), at its peak, when the peak is two or more.
    const Theme& th = *ctx.theme;
    const auto& counts = m_stack.counts;
    if (counts.empty() || m_stack.peak < 2) return;
    auto it = std::partition_point(counts.begin(), counts.end(), [&](const view::HolderCount& c) {
        return c.time <= axis.start();
    });
    if (it != counts.begin()) --it;
    p.save();
    p.setFont(*ctx.font);
    p.setPen(th.text);
    double last_right = -1e9;
    bool open = false;
    double from = 0, peak_mid = 0;
    std::uint32_t peak = 0;
    auto flush = [&](double to) {
        open = false;
        if (peak < 2) return;
        const QString text = holders_word(r, peak);
        const double w = ctx.metrics->horizontalAdvance(text) + 4;
        const std::optional<double> x =
            place_count_label(from, to, peak_mid, w, row.left(), row.right(), last_right);
        if (!x) return;
        p.drawText(QRectF(*x, row.top(), w, row.height()), Qt::AlignCenter, text);
        last_right = *x + w + 6;
    };
    for (; it != counts.end(); ++it) {
        const double x0 = row.left() + axis.x(it->time);
        if (x0 > row.right() + 1) break;
        const bool shared = it->holders > 0 && !it->exclusive;
        if (open && !shared) flush(x0);
        if (!shared) continue;
        const view::Time end =
            std::next(it) != counts.end() ? std::next(it)->time : ctx.model->end_time();
        const double x1 = row.left() + axis.x(end);
        if (!open) {
            open = true;
            from = x0;
            peak = 0;
        }
        if (it->holders > peak) {
            peak = it->holders;
            peak_mid = (std::max(x0, row.left()) + std::min(x1, row.right())) / 2;
        }
    }
    if (open) flush(row.right());
    p.restore();
}

void LockLane::paint_queue(QPainter& p, const view::TimeAxis& axis, const QRectF& band,
                           const view::ResourceTrack& r, const PaintContext& ctx) const {
    const Theme& th = *ctx.theme;
    const auto& q = r.waiters.queue();
    const double base = band.bottom();
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(th.separator, 1));
    p.drawLine(
        QPointF(band.left() + std::max(axis.x(r.created), 0.0), base + 0.5),
        QPointF(band.left() + std::min(axis.x(ctx.model->end_time()), axis.width()), base + 0.5));
    if (q.empty()) {
        p.restore();
        return;
    }
    const double unit = band.height() / std::max<std::uint32_t>(r.waiters.max_waiting(), 1);
    auto it = std::partition_point(
        q.begin(), q.end(), [&](const view::QueuePoint& c) { return c.time <= axis.start(); });
    if (it != q.begin()) --it;
    p.setFont(*ctx.font);
    double last_label = -1e9;
    auto level = [&](double x0, double x1, std::uint32_t waiting, std::uint32_t writers) {
        if (waiting == 0 || x1 <= x0) return;
        const double w = std::max(x1 - x0, 1.0);
        const double wr = writers * unit;
        p.fillRect(QRectF(band.left() + x0, base - waiting * unit, w, waiting * unit - wr),
                   th.lock_wait);
        if (writers > 0) p.fillRect(QRectF(band.left() + x0, base - wr, w, wr), th.writer_wait);
        ++ctx.blocks_drawn;
        // The count, where the step is wide enough to carry it.
        const QString n = QString::number(waiting);
        const double tw = ctx.metrics->horizontalAdvance(n);
        if (x1 - x0 >= tw + 6 && x0 > last_label && band.height() >= 10) {
            p.setPen(th.text);
            p.drawText(QRectF(band.left() + x0 + 2, band.top() - 2, tw + 2, band.height() + 2),
                       Qt::AlignLeft | Qt::AlignBottom, n);
            last_label = x0 + tw + 6;
        }
    };
    // One step per pixel at most: changes closer than that merge; the merged pixel
    // shows their peak, the rest the level the last of them left.
    const auto waiting_of = [&q](std::size_t j) { return q[j].waiting; };
    const auto writers_of = [&q](std::size_t j) { return q[j].writers; };
    if (ctx.indexed) {
        m_queue_waiting.update(q.size(), waiting_of);
        m_queue_writers.update(q.size(), writers_of);
    }
    std::size_t stride = 0;  // changes merged by the last step: the next search's guess
    for (; it != q.end() && it->time < axis.end();) {
        const double x0 = std::max(axis.x(it->time), 0.0);
        std::uint32_t peak = it->waiting, peak_writers = it->writers;
        auto last = it;
        auto next = std::next(it);  // the first change a pixel or more later
        if (ctx.indexed) {
            // Jump to it, taking the peaks of the changes in between from the indexes.
            const auto from = static_cast<std::size_t>(next - q.begin());
            const std::size_t to = view::first_true(
                from, q.size(), [&](std::size_t j) { return axis.x(q[j].time) - x0 >= 1.0; },
                stride);
            stride = to - from;
            if (to > from) {
                peak = std::max(peak, m_queue_waiting.max_in(from, to, waiting_of));
                peak_writers = std::max(peak_writers, m_queue_writers.max_in(from, to, writers_of));
                last = q.begin() + static_cast<std::ptrdiff_t>(to - 1);
                next = q.begin() + static_cast<std::ptrdiff_t>(to);
            }
        }
        for (; next != q.end() && axis.x(next->time) - x0 < 1.0; ++next) {
            peak = std::max(peak, next->waiting);
            peak_writers = std::max(peak_writers, next->writers);
            last = next;
        }
        const view::Time end = next != q.end() ? next->time : ctx.model->end_time();
        const double x1 = std::min(axis.x(std::max(end, it->time)), axis.width());
        if (last != it && x1 - x0 > 1.0) {
            level(x0, x0 + 1.0, peak, peak_writers);
            level(x0 + 1.0, x1, last->waiting, last->writers);
        } else {
            level(x0, x1, peak, peak_writers);
        }
        it = next;
    }
    p.restore();
}

std::size_t LockLane::index_bytes() const {
    return m_hold_length.memory_bytes() + m_queue_waiting.memory_bytes() +
           m_queue_writers.memory_bytes();
}

void LockLane::paint_releases(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                              const view::ResourceTrack& r, const PaintContext& ctx) const {
    const auto& marks = r.waiters.releases();
    if (marks.empty()) return;
    const Theme& th = *ctx.theme;
    auto it = std::partition_point(marks.begin(), marks.end(), [&](const view::ReleaseMark& m) {
        return m.time < axis.start();
    });
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    double last_x = -1e9;
    for (; it != marks.end() && it->time <= axis.end(); ++it) {
        const double x = rect.left() + axis.x(it->time);
        if (x - last_x < 2.0) continue;
        last_x = x;
        const QColor c = it->waker ? th.task_colour(it->waker) : th.text_dim;
        p.setPen(QPen(th.text, 1.2));
        p.drawLine(QPointF(x, rect.top() + 2), QPointF(x, rect.bottom() - 1));
        p.setPen(QPen(th.text, 1));
        p.setBrush(c);
        const QPointF tri[3] = {QPointF(x - 5, rect.top() + 1), QPointF(x + 5, rect.top() + 1),
                                QPointF(x, rect.top() + 8)};
        p.drawConvexPolygon(tri, 3);
        if (it->woken > 1) {
            p.setFont(*ctx.font);
            p.setPen(th.text);
            p.drawText(QRectF(x + 6, rect.top(), 40, 12), Qt::AlignLeft | Qt::AlignVCenter,
                       QStringLiteral("×%1").arg(it->woken));
        }
    }
    p.restore();
}

Hit LockLane::hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                       const PaintContext& ctx) const {
    Hit hit;
    const view::ResourceTrack* r = data(ctx);
    if (!r) return hit;
    const view::Time t = axis.time(pos.x() - rect.left());
    hit.time = t;
    hit.resource = m_resource;
    const QString name = label();
    if (t < r->created) {
        hit.text = QStringLiteral("%1: not created yet").arg(name);
        return hit;
    }
    const Bands b = bands(rect);
    const bool signal = is_signal(*r);

    // A release mark near the point wins (notify, barrier).
    const view::Time tol = slop(axis, 3.0);
    for (const view::ReleaseMark& m : r->waiters.releases()) {
        if (m.time < t - tol) continue;
        if (m.time > t + tol) break;
        hit.task = m.waker;
        const QString who = m.waker ? ctx.task_name(m.waker) : QStringLiteral("outside");
        hit.text = r->kind == ResourceKind::barrier
                       ? QStringLiteral("%1: tripped by %2 at %3, released %4 waiting")
                             .arg(name, who, format_time(m.time))
                             .arg(m.woken)
                       : QStringLiteral("%1: notified by %2 at %3, woke %4")
                             .arg(name, who, format_time(m.time))
                             .arg(m.woken);
        return hit;
    }

    QStringList parts;
    if (!signal) {
        // The holders at t, the one under the point first.
        const auto& all = spans(*r);
        std::vector<std::size_t> holding;
        std::size_t under = all.size();
        for (std::size_t i = 0; i < all.size() && all[i].start <= t; ++i) {
            if (all[i].end >= 0 && all[i].end <= t) continue;
            holding.push_back(i);
            if (b.holds.contains(pos) && span_rect(*r, i, axis, b.holds).contains(pos.x(), pos.y()))
                under = i;
        }
        if (under != all.size()) {
            std::stable_partition(holding.begin(), holding.end(),
                                  [under](std::size_t i) { return i == under; });
        }
        if (holding.empty()) {
            parts << QStringLiteral("%1: free at %2").arg(name, format_time(t));
        } else {
            QStringList holders;
            for (std::size_t i : holding) {
                const view::HoldSpan& h = all[i];
                const QString mode = hold_mode(*r, h);
                holders << QStringLiteral("%1%2 %3").arg(
                    ctx.task_name(h.task),
                    mode.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(mode),
                    range_text(h.start, h.end));
            }
            hit.task = all[holding.front()].task;
            parts << QStringLiteral("%1: held by %2").arg(name, holders.join(QStringLiteral(", ")));
        }
    } else {
        parts << name;
    }
    const auto waiting = r->waiters.waiting_at(t);
    if (waiting.empty()) {
        parts << QStringLiteral("no one waiting");
    } else {
        QStringList names;
        for (const view::LockWait* w : waiting)
            names << waiter_text(*w, ctx);
        parts << QStringLiteral("%1 waiting: %2").arg(waiting.size()).arg(names.join(", "));
        if (!hit.task) hit.task = waiting.front()->task;
    }
    hit.text = parts.join(QStringLiteral("; "));
    return hit;
}

QString LockLane::summary(const PaintContext& ctx) const {
    const view::ResourceTrack* r = data(ctx);
    if (!r) return label();
    const view::HoldStack& s = stack(*r);
    const auto& waits = r->waiters.waits();
    view::Time longest = 0;
    for (const view::LockWait& w : waits)
        longest = std::max(longest, (w.end < 0 ? ctx.model->end_time() : w.end) - w.start);
    QString text = QStringLiteral("%1 (%2)").arg(label(), QString::fromLatin1(to_string(r->kind)));
    if (!is_signal(*r)) {
        text += QStringLiteral(": held %1 times").arg(r->holds.size());
        if (s.peak > 1) text += QStringLiteral(", %1 at once at most").arg(s.peak);
    } else {
        text += QStringLiteral(": %1 releases").arg(r->waiters.releases().size());
    }
    text += QStringLiteral("; %1 waits, queue up to %2, longest wait %3")
                .arg(waits.size())
                .arg(r->waiters.max_waiting())
                .arg(format_duration(longest));
    return text;
}

}  // namespace spindle::render
