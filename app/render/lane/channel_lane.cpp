#include "lane/channel_lane.h"

#include <algorithm>
#include <cmath>

#include "lane/race_marks_painter.h"
#include "level_of_detail.h"

namespace spindle::render {

namespace {
constexpr double kTopPad = 6;  ///< room above the capacity line
constexpr double kTickPx = 4;  ///< length of a send / receive tick

/// Why a channel closed, in words ("every sender dropped").
QString close_words(CloseReason reason) {
    switch (reason) {
        case CloseReason::senders_dropped:
            return QStringLiteral("every sender dropped");
        case CloseReason::receiver_closed:
            return QStringLiteral("the receiver closed it");
        case CloseReason::receiver_dropped:
            return QStringLiteral("the receiver was dropped");
        case CloseReason::closed:
            return QStringLiteral("closed");
    }
    return {};
}
}  // namespace

void ChannelLane::paint_close(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                              const PaintContext& ctx) const {
    const view::ResourceTrack* r = data(ctx);
    if (!r || !r->closed || *r->closed < axis.start() || *r->closed > axis.end()) return;
    // A bar across the lane where it closed, and the word beside it (before it when
    // there is no room after).
    const Theme& th = *ctx.theme;
    const double x = std::round(rect.left() + axis.x(*r->closed));
    p.fillRect(QRectF(x - 1, rect.top() + 3, 2.5, rect.height() - 6), th.text);
    const QString word = QStringLiteral("closed");
    QFont small = *ctx.font;
    small.setPixelSize(std::max(small.pixelSize() - 1, 8));
    const QFontMetricsF fm(small);
    const double w = fm.horizontalAdvance(word) + 4;
    const bool after = x + 4 + w <= rect.right();
    const QRectF box(after ? x + 4 : x - 4 - w, rect.top() + 2, w, fm.height());
    p.setFont(small);
    p.setPen(th.text);
    p.drawText(box, Qt::AlignVCenter | (after ? Qt::AlignLeft : Qt::AlignRight), word);
}

ChannelLane::ChannelLane(ResourceId resource, QString label, QString detail, double height)
    : Lane(Kind::channel, std::move(label), std::move(detail), height), m_resource(resource) {}

std::uint32_t ChannelLane::scale_max(const view::ResourceTrack& r) {
    const bool bounded = r.capacity != kUnbounded && r.kind != ResourceKind::watch;
    return std::max<std::uint32_t>({bounded ? r.capacity : 0u, r.max_len, 1u});
}

void ChannelLane::paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                        const PaintContext& ctx) const {
    const view::ResourceTrack* r = data(ctx);
    if (!r) return;
    const Theme& th = *ctx.theme;
    const double left = rect.left();
    const double base = rect.bottom() - kTickPx - 2;  // the graph's zero line
    const double graph_top = rect.top() + kTopPad;
    const double scale = (base - graph_top) / scale_max(*r);
    auto y_of = [&](std::uint32_t len) { return base - len * scale; };
    const view::Time end = ctx.model->end_time();

    if (selected(ctx)) p.fillRect(rect, th.selection_band);

    // Spans with a sender blocked (the buffer full): shaded behind the graph, and a
    // strip along the top that the graph never covers.
    for (const view::DrawBlock& b :
         view::blocks(r->senders_blocked, axis, 1.0,
                      ctx.indexed ? &m_blocked_index.of(r->senders_blocked) : nullptr)) {
        const double w = std::max(b.x1 - b.x0, 1.0);
        p.fillRect(QRectF(left + b.x0, rect.top() + 1, w, rect.height() - 2), th.blocked);
        p.fillRect(QRectF(left + b.x0, rect.top() + 1, w, kTopPad - 2), th.blocked_strip);
        ++ctx.blocks_drawn;
    }

    // Occupancy: a step graph with at most one step per pixel (the peak within it).
    if (!r->length.empty() && r->created <= axis.end()) {
        const auto& points = r->length;
        auto it = std::partition_point(points.begin(), points.end(), [&](const view::LenPoint& lp) {
            return lp.time <= axis.start();
        });
        if (it != points.begin()) --it;
        const double x_end = std::min(axis.x(std::max(end, it->time)), axis.width() + 1);
        // A segment starts at a change and runs to the next change at least a pixel
        // later. Changes closer than that merge: the segment's first pixel shows their
        // peak, the rest the level the last of them left.
        double seg_x = std::max(axis.x(it->time), -1.0);
        std::uint32_t seg_peak = it->len, seg_last = it->len;
        bool merged = false;
        QPolygonF outline;
        outline.reserve(static_cast<qsizetype>(4 * std::min<double>(axis.width(), 4096)) + 8);
        outline << QPointF(left + seg_x, base);
        QVector<QRectF> fill;  // one rectangle per step: far cheaper than filling a polygon
        fill.reserve(static_cast<qsizetype>(2 * std::min<double>(axis.width(), 4096)) + 4);
        auto level = [&](double x0, double x1, std::uint32_t len) {
            outline << QPointF(left + x0, y_of(len)) << QPointF(left + x1, y_of(len));
            if (len > 0 && x1 > x0) fill << QRectF(left + x0, y_of(len), x1 - x0, base - y_of(len));
        };
        auto close = [&](double x) {
            if (merged && x - seg_x > 1.0) {
                level(seg_x, seg_x + 1.0, seg_peak);
                level(seg_x + 1.0, x, seg_last);
            } else {
                level(seg_x, std::max(x, seg_x), seg_peak);
            }
        };
        const auto len_of = [&points](std::size_t i) { return points[i].len; };
        std::size_t limit = points.size();
        if (ctx.indexed) {
            m_length_max.update(points.size(), len_of);
            limit = static_cast<std::size_t>(std::partition_point(points.begin(), points.end(),
                                                                  [&](const view::LenPoint& lp) {
                                                                      return lp.time < axis.end();
                                                                  }) -
                                             points.begin());
        }
        std::size_t stride = 0;  // how many changes the last jump took: the next one's guess
        for (auto i = static_cast<std::size_t>(it - points.begin()) + 1;
             i < points.size() && points[i].time < axis.end(); ++i) {
            if (ctx.indexed) {
                // The changes less than a pixel after the segment's start merge into it:
                // take their peak and last level at once.
                const std::size_t k = view::first_true(
                    i, limit, [&](std::size_t j) { return axis.x(points[j].time) - seg_x >= 1.0; },
                    stride);
                stride = k - i;
                if (k > i) {
                    seg_peak = std::max(seg_peak, m_length_max.max_in(i, k, len_of));
                    seg_last = points[k - 1].len;
                    merged = true;
                    i = k;
                    if (i >= limit) break;
                }
            }
            const view::LenPoint& lp = points[i];
            const double x = axis.x(lp.time);
            if (x - seg_x < 1.0) {
                seg_peak = std::max(seg_peak, lp.len);
                seg_last = lp.len;
                merged = true;
                continue;
            }
            close(x);
            seg_x = x;
            seg_peak = seg_last = lp.len;
            merged = false;
        }
        close(x_end);
        outline << QPointF(left + std::max(x_end, seg_x), base);
        ctx.blocks_drawn += static_cast<std::size_t>(outline.size() / 2);
        // Only horizontal and vertical edges: no antialiasing and a cosmetic 1 px pen
        // keep the raster engine on its fast path (a stroked polyline of thousands of
        // steps otherwise costs far more than a frame).
        p.save();
        p.setRenderHint(QPainter::Antialiasing, false);
        for (const QRectF& f : fill)
            p.fillRect(f, th.occupancy_fill);
        QPen line(th.occupancy_line, 1);
        line.setCosmetic(true);
        p.setPen(line);
        p.setBrush(Qt::NoBrush);
        p.drawPolyline(outline.constData() + 1, static_cast<int>(outline.size()) - 2);
        p.restore();
    }

    // Capacity: a dashed line at the top of the scale (bounded channels).
    if (r->capacity != kUnbounded && r->kind != ResourceKind::watch) {
        QPen dashed(th.capacity, 1, Qt::DashLine);
        p.setPen(dashed);
        const double y = y_of(r->capacity);
        const double x0 = left + std::max(axis.x(r->created), 0.0);
        const double x1 = left + std::min(axis.x(end), axis.width());
        if (x0 < x1) p.drawLine(QPointF(x0, y), QPointF(x1, y));
    }

    // Lag: a receiver skipped messages. A small downward triangle on the top edge, one
    // per pixel at most, in the steal colour (both mean "work moved past someone").
    {
        auto lag =
            std::partition_point(r->lags.begin(), r->lags.end(),
                                 [&](const view::LagMark& m) { return m.time < axis.start(); });
        double last_x = -1e9;
        p.setPen(Qt::NoPen);
        p.setBrush(th.steal);
        for (; lag != r->lags.end() && lag->time <= axis.end(); ++lag) {
            const double x = left + axis.x(lag->time);
            if (x - last_x < 1.0) continue;
            last_x = x;
            const QPointF tri[3] = {QPointF(x - 4, rect.top() + 1), QPointF(x + 4, rect.top() + 1),
                                    QPointF(x, rect.top() + 7)};
            p.drawPolygon(tri, 3);
        }
        p.setBrush(Qt::NoBrush);
    }

    // Baseline, then the ticks: sends point up, receives down; one per pixel at most.
    p.setPen(QPen(th.separator, 1));
    p.drawLine(QPointF(left + std::max(axis.x(r->created), 0.0), base),
               QPointF(left + std::min(axis.x(end), axis.width()), base));
    const auto& ticks = r->ticks;
    const auto first_tick = static_cast<std::size_t>(
        std::partition_point(ticks.begin(), ticks.end(),
                             [&](const view::ChannelTick& c) { return c.time < axis.start(); }) -
        ticks.begin());
    const auto is_send = [&ticks](std::size_t i) { return std::uint8_t{ticks[i].send}; };
    const auto is_recv = [&ticks](std::size_t i) { return std::uint8_t{!ticks[i].send}; };
    std::size_t tick_limit = ticks.size();
    if (ctx.indexed) {
        m_send_ticks.update(ticks.size(), is_send);
        m_recv_ticks.update(ticks.size(), is_recv);
        tick_limit = static_cast<std::size_t>(
            std::partition_point(ticks.begin() + static_cast<std::ptrdiff_t>(first_tick),
                                 ticks.end(),
                                 [&](const view::ChannelTick& c) { return c.time <= axis.end(); }) -
            ticks.begin());
    }
    const QPen send_pen(th.send_tick, 1.2), recv_pen(th.recv_tick, 1.2);
    double last_send = -1e9, last_recv = -1e9;
    // Per kind (send, receive), where the last one drawn is and how many ticks it was
    // after the one before: a guess for the next search.
    std::size_t drawn_at[2] = {first_tick, first_tick}, stride[2] = {0, 0};
    for (std::size_t i = first_tick; i < ticks.size() && ticks[i].time <= axis.end(); ++i) {
        if (ctx.indexed) {
            // The next tick drawn: the first send a pixel past the last send drawn, or
            // the first receive a pixel past the last receive, whichever comes first.
            auto past = [&](double last, int kind) {
                const std::size_t guess = drawn_at[kind] + stride[kind];
                return view::first_true(
                    i, tick_limit,
                    [&](std::size_t j) { return left + axis.x(ticks[j].time) - last >= 1.0; },
                    guess > i ? guess - i : 0);
            };
            i = std::min(m_send_ticks.first_reaching(past(last_send, 0), tick_limit, 1, is_send),
                         m_recv_ticks.first_reaching(past(last_recv, 1), tick_limit, 1, is_recv));
            if (i >= tick_limit) break;
        }
        const view::ChannelTick& tick = ticks[i];
        const double x = left + axis.x(tick.time);
        double& last = tick.send ? last_send : last_recv;
        if (x - last < 1.0) continue;
        last = x;
        const int kind = tick.send ? 0 : 1;
        stride[kind] = i - drawn_at[kind];
        drawn_at[kind] = i;
        p.setPen(tick.send ? send_pen : recv_pen);
        if (tick.send)
            p.drawLine(QPointF(x, base - kTickPx), QPointF(x, base));
        else
            p.drawLine(QPointF(x, base), QPointF(x, base + kTickPx));
    }
    paint_close(p, axis, rect, ctx);
    paint_channel_marks(p, axis, rect, ctx, m_resource);
}

std::size_t ChannelLane::index_bytes() const {
    return m_blocked_index.memory_bytes() + m_length_max.memory_bytes() +
           m_send_ticks.memory_bytes() + m_recv_ticks.memory_bytes();
}

Hit ChannelLane::hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                          const PaintContext& ctx) const {
    Hit hit;
    const view::ResourceTrack* r = data(ctx);
    if (!r) return hit;
    const view::Time t = axis.time(pos.x() - rect.left());
    hit.time = t;
    hit.resource = m_resource;
    const QString name = label();
    if (Hit mark = hit_channel_marks(axis, rect, pos, ctx, m_resource); !mark.empty()) return mark;

    // A tick near the point (within two pixels) wins.
    const view::Time tol = slop(axis);
    auto it = std::partition_point(r->ticks.begin(), r->ticks.end(),
                                   [&](const view::ChannelTick& c) { return c.time < t - tol; });
    const view::ChannelTick* best = nullptr;
    for (; it != r->ticks.end() && it->time <= t + tol; ++it)
        if (!best || std::llabs(it->time - t) < std::llabs(best->time - t)) best = &*it;
    // Near where the channel closed: say so (after the tick at the same time, if any).
    QString closed;
    if (r->closed && std::llabs(*r->closed - t) <= slop(axis, 4))
        closed = QStringLiteral("%1: closed at %2 (%3)")
                     .arg(name, format_time(*r->closed), close_words(r->close_reason));
    if (best) {
        hit.task = best->task;
        hit.text = QStringLiteral("%1: %2 message #%3 by %4 at %5")
                       .arg(name, best->send ? QStringLiteral("send") : QStringLiteral("recv"))
                       .arg(best->msg)
                       .arg(ctx.task_name(best->task), format_time(best->time));
        if (!closed.isEmpty()) hit.text += QLatin1Char('\n') + closed;
        return hit;
    }
    if (!closed.isEmpty()) {
        hit.text = closed;
        return hit;
    }
    auto lp = std::partition_point(r->length.begin(), r->length.end(),
                                   [&](const view::LenPoint& l) { return l.time <= t; });
    if (lp == r->length.begin()) {
        hit.text = QStringLiteral("%1: not created yet").arg(name);
        return hit;
    }
    --lp;
    const bool bounded = r->capacity != kUnbounded && r->kind != ResourceKind::watch;
    hit.text =
        bounded
            ? QStringLiteral("%1: %2 of %3 buffered at %4")
                  .arg(name)
                  .arg(lp->len)
                  .arg(r->capacity)
                  .arg(format_time(t))
            : QStringLiteral("%1: %2 buffered at %3").arg(name).arg(lp->len).arg(format_time(t));
    const std::size_t b = view::first_visible(r->senders_blocked, t);
    if (b < r->senders_blocked.size() && r->senders_blocked[b].start <= t)
        hit.text += QStringLiteral("\nsenders blocked %1 → %2")
                        .arg(format_time(r->senders_blocked[b].start),
                             format_time(r->senders_blocked[b].end));
    return hit;
}

QString ChannelLane::summary(const PaintContext& ctx) const {
    const view::ResourceTrack* r = data(ctx);
    if (!r) return label();
    QString s = QStringLiteral("%1 (%2): %3 sent, %4 received, peak %5, full for %6")
                    .arg(label(), QString::fromLatin1(to_string(r->kind)))
                    .arg(r->sent)
                    .arg(r->received)
                    .arg(r->max_len)
                    .arg(format_duration(r->time_full));
    if (r->lagged) s += QStringLiteral(", %1 lagged").arg(r->lagged);
    return s;
}

}  // namespace spindle::render
