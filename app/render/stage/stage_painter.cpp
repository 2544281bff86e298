// StagePainter's drawing (see stage_painter.h). Boxes, rows, chip places and
// captions come from StageLayout; what is placed here follows from them or from
// the text drawn (the title line, badges, elided labels).
#include "stage/stage_painter.h"

#include <QFontMetricsF>

#include <algorithm>
#include <optional>

#include "lane/lane.h"
#include "short_label.h"
#include "worker_names.h"

namespace spindle::render {

using namespace stage;
using view::StageArea;
using view::StageSnapshot;

namespace {

/// Draws `text` in `rect` with `font` and `colour` (which stay set).
void draw_text(QPainter& p, const QFont& font, const QColor& colour, const QRectF& rect, int flags,
               const QString& text) {
    p.setFont(font);
    p.setPen(colour);
    p.drawText(rect, flags, text);
}

QString kind_text(const view::ResourceTrack& r) {
    const QString kind = QString::fromLatin1(to_string(r.kind));
    switch (r.kind) {
        case ResourceKind::mpsc:
        case ResourceKind::broadcast:
        case ResourceKind::crossbeam:
            return r.capacity == kUnbounded ? kind + QStringLiteral(" · unbounded")
                                            : kind + QStringLiteral(" · cap %1").arg(r.capacity);
        case ResourceKind::semaphore:
            return kind + QStringLiteral(" · %1 permits").arg(r.capacity);
        case ResourceKind::barrier:
            return kind + QStringLiteral(" · %1 parties").arg(r.capacity);
        default:
            return kind;
    }
}

}  // namespace

StagePainter::StagePainter(const view::StageIndex& index, const Theme& theme)
    : m_index(index),
      m_model(index.model()),
      m_theme(theme),
      m_fonts(theme),
      m_chip_width(StageLayout::chip_width_for(index, m_fonts)) {
    // Names shortened once, by the rule the timeline's slices use ("transfer b->a" keeps
    // "b->a"), to the chip width every layout of this run uses.
    const auto& tasks = m_model.tasks();
    std::vector<std::string> names;
    names.reserve(tasks.size());
    for (const view::TaskInfo& t : tasks)
        names.push_back(StageLayout::chip_text(t).toStdString());
    const std::vector<std::size_t> tails = view::label_tails(names);
    const QFontMetricsF fm(m_fonts.chip);
    m_chip_names.reserve(tasks.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        m_chip_names.push_back(short_label(QString::fromStdString(names[i]), tails[i],
                                           m_chip_width - kChipPadding, fm));
}

QString StagePainter::title_name() const {
    if (!m_title.isEmpty()) return m_title;
    const std::string& config = m_model.run().config;
    if (config.rfind("scenario=", 0) == 0) {
        const auto end = config.find(" workers=");
        return QString::fromStdString(config.substr(9, end == std::string::npos ? end : end - 9));
    }
    return QStringLiteral("run");
}

const QString& StagePainter::chip_name(TaskId task) const {
    return task >= 1 && task <= m_chip_names.size() ? m_chip_names[task - 1] : m_no_name;
}

const StageLayout& StagePainter::layout(double width) const {
    if (m_layout.width != width)
        m_layout = StageLayout::build(m_index, m_fonts, width, m_chip_width);
    return m_layout;
}

double StagePainter::height_for_width(double width) const {
    if (width < kMinLayoutWidth) return layout(kMinLayoutWidth).height * width / kMinLayoutWidth;
    return layout(width).height;
}

double StagePainter::scale_for(const QRectF& rect, double* width) const {
    // Narrower than the layout's minimum: lay out at the minimum, scale down.
    *width = std::max(rect.width(), kMinLayoutWidth);
    const double k = rect.width() / *width;
    const double h = layout(*width).height * k;
    if (h <= rect.height() || rect.height() <= 0) return k;
    // Still too tall: a wider layout, scaled further down to fit the height.
    const double shrink = std::max(rect.height() / h, 0.2);
    *width /= shrink;
    return k * shrink;
}

TaskId StagePainter::task_at(const StageSnapshot& s, const QRectF& rect, const QPointF& pos) const {
    double width = 0;
    const double k = scale_for(rect, &width);
    return layout(width).task_at(s, (pos - rect.topLeft()) / k);
}

void StagePainter::paint(QPainter& p, const StageSnapshot& s, const QRectF& rect) const {
    double width = 0;
    const double k = scale_for(rect, &width);
    const StageLayout& l = layout(width);
    p.save();
    p.setClipRect(rect);
    p.fillRect(rect, m_theme.background);
    p.translate(rect.topLeft());
    p.scale(k, k);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);

    paint_title(p, s, width);
    p.setFont(m_fonts.small_bold);
    p.setPen(m_theme.text_dim);
    for (const StageLayout::Caption& section : l.sections)
        p.drawText(section.rect, Qt::AlignLeft | Qt::AlignVCenter, section.text);
    paint_workers(p, l, s);
    paint_channels(p, l, s);
    paint_resources(p, l, s);
    paint_panels(p, l, s);
    paint_chips(p, l, s);
    paint_overflows(p, l, s);
    paint_legend(p, l);
    p.restore();
}

void StagePainter::paint_title(QPainter& p, const StageSnapshot& s, double width) const {
    const Theme& th = m_theme;
    const QString name = title_name();
    const QRectF line(kPad, kPad - 4, width - 2 * kPad, 26);
    draw_text(p, m_fonts.title, th.text, line, Qt::AlignLeft | Qt::AlignVCenter, name);
    double x = kPad + QFontMetricsF(m_fonts.title).horizontalAdvance(name) + 10;
    const QFont& plain = m_fonts.title_plain;
    const QString stage_at = QStringLiteral("stage at");
    draw_text(p, plain, th.text_dim, QRectF(x, line.top(), width - kPad - x, line.height()),
              Qt::AlignLeft | Qt::AlignVCenter, stage_at);
    x += QFontMetricsF(plain).horizontalAdvance(stage_at) + 8;

    // The time in a badge of the playhead's colour (the timeline's playhead shows it too).
    const QString t = format_time(s.time);
    const QFontMetricsF bfm(m_fonts.bold);
    const QRectF badge(x, line.top() + 2, bfm.horizontalAdvance(t) + 16, line.height() - 4);
    p.setPen(Qt::NoPen);
    p.setBrush(th.playhead);
    p.drawRoundedRect(badge, 4, 4);
    draw_text(p, m_fonts.bold, th.text_light, badge, Qt::AlignCenter, t);

    std::size_t alive = 0, buffered = 0, waiting = 0;
    for (const view::TaskChip& c : s.tasks)
        if (c.to.area != StageArea::done) ++alive;
    for (const view::StageChannel& c : s.channels) {
        buffered += c.buffered.size();
        waiting += c.senders.size() + c.receivers.size();
    }
    for (const view::StageResource& r : s.resources)
        waiting += r.waiters.size();
    std::size_t running = 0;
    for (const view::StageWorker& w : s.workers)
        running += w.running ? 1 : 0;
    const view::RunInfo& run = m_model.run();
    const QString sub =
        QStringLiteral(
            "seed %1 · %2 worker%3 · %4     tasks: %5 alive, %7 running, %8 waiting, "
            "%10 done · %9 buffered")
            .arg(run.seed)
            .arg(run.workers)
            .arg(run.workers == 1 ? QString() : QStringLiteral("s"),
                 QString::fromLatin1(to_string(run.policy)))
            .arg(alive)
            .arg(running)
            .arg(waiting)
            .arg(buffered)
            .arg(s.done);
    const double room = width - 2 * kPad;
    draw_text(p, m_fonts.small_font, th.text_dim, QRectF(kPad, line.bottom() + 2, room, 18),
              Qt::AlignLeft | Qt::AlignVCenter,
              QFontMetricsF(m_fonts.small_font).elidedText(sub, Qt::ElideRight, room));
}

void StagePainter::paint_box(QPainter& p, const QRectF& box, bool faded) const {
    p.setPen(QPen(m_theme.separator, 1));
    p.setBrush(faded ? m_theme.background : m_theme.lane_alt);
    p.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
}

void StagePainter::paint_empty_slot(QPainter& p, const QRectF& r) const {
    QPen pen(m_theme.parked_hatch, 1, Qt::DashLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
}

void StagePainter::paint_workers(QPainter& p, const StageLayout& l, const StageSnapshot& s) const {
    const Theme& th = m_theme;
    auto header = [&](const QRectF& box, const QString& name, const QString& status,
                      const QColor& dot) {
        const QRectF line(box.left() + kInner, box.top(), box.width() - 2 * kInner, kHeader);
        draw_text(p, m_fonts.bold, th.text, line, Qt::AlignLeft | Qt::AlignVCenter, name);
        // The status gives way to the name: elided to the room the name leaves.
        const QFontMetricsF small(m_fonts.small_font);
        const double room = line.width() - QFontMetricsF(m_fonts.bold).horizontalAdvance(name) -
                            (dot.isValid() ? 22 : 10);
        const QString shown = small.elidedText(status, Qt::ElideRight, std::max(room, 0.0));
        const double w = small.horizontalAdvance(shown);
        draw_text(p, m_fonts.small_font, th.text_dim, line, Qt::AlignRight | Qt::AlignVCenter,
                  shown);
        if (dot.isValid()) {
            p.setPen(Qt::NoPen);
            p.setBrush(dot);
            p.drawEllipse(QPointF(line.right() - w - 8, line.center().y()), 3.5, 3.5);
        }
    };
    auto in_box_label = [&](const WorkerBox& b, const QRectF& slot, const QString& text) {
        draw_text(p, m_fonts.small_font, th.text_dim,
                  QRectF(b.box.left() + kInner, slot.top(), kInBoxLabel - 4, slot.height()),
                  Qt::AlignLeft | Qt::AlignVCenter, text);
    };
    auto state = [&](WorkerId id) -> const view::StageWorker* {
        return id < s.workers.size() ? &s.workers[id] : nullptr;
    };

    for (const WorkerBox& b : l.cores) {
        const view::StageWorker* w = state(b.id);
        paint_box(p, b.box);
        QString status = QStringLiteral("idle");
        QColor dot;
        if (w && w->running) {
            status = QStringLiteral("polling · %1").arg(format_duration(s.time - w->poll_start));
            dot = th.ok;
        } else if (w && w->parked) {
            status = QStringLiteral("parked");
            dot = th.parked_hatch;
        }
        header(b.box, QStringLiteral("thread %1").arg(b.id), status, dot);
        in_box_label(b, b.run, QStringLiteral("runs"));
        paint_empty_slot(p, b.run);
        if (!b.has_queues()) continue;  // the policy queues every task globally
        in_box_label(b, b.lifo, QStringLiteral("LIFO"));
        in_box_label(b, b.queue.rect, QStringLiteral("queue"));
        paint_empty_slot(p, b.lifo);
        if (!w || w->local.empty()) {
            draw_text(p, m_fonts.small_font, th.parked_hatch, b.queue.rect.adjusted(4, 0, 0, 0),
                      Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("empty"));
        }
    }
    if (l.global.shown) {
        paint_box(p, l.global.box);
        header(l.global.box, l.global.title,
               s.global.empty() ? QStringLiteral("empty") : QString::number(s.global.size()), {});
    }

    for (const WorkerBox& b : l.lanes) {
        const view::StageWorker* w = state(b.id);
        const bool started = w && w->started;
        const bool ended = w && w->ended;  // an OS thread's lane after its thread ended
        paint_box(p, b.box, !started || ended);
        QString status = !started ? QStringLiteral("not started")
                         : ended  ? QStringLiteral("ended")
                                  : QStringLiteral("free");
        QColor dot;
        if (w && w->running) {
            status = QStringLiteral("running");
            dot = th.ok;
        } else if (w && w->pinned) {
            status = QStringLiteral("held");
            dot = th.queued;
        }
        // Named as the timeline names them: blocking lanes from 0, OS threads from 1.
        const bool os_thread = w && w->role == WorkerRole::thread;
        int lane_index = 0;
        for (const WorkerBox* o = l.lanes.data(); o != &b; ++o) {
            const view::StageWorker* ow = state(o->id);
            lane_index += (ow && ow->role == WorkerRole::thread) == os_thread;
        }
        header(b.box,
               os_thread ? QStringLiteral("os thread %1").arg(lane_index + 1)
                         : QStringLiteral("blocking %1").arg(lane_index),
               status, dot);
        paint_empty_slot(p, b.run);
        // A held thread whose task waits elsewhere: a ghost of the task stays here.
        if (w && w->pinned && !w->running) {
            const view::TaskChip* c = s.chip(w->pinned);
            if (c && c->to.area != StageArea::lane)
                paint_task_chip(p, b.run.center(), w->pinned, 0.6, ChipStyle::ghost);
        }
    }
    // Rayon threads: the job each runs and its deque; each pool's injector.
    for (const WorkerBox& b : l.rayon) {
        const view::StageWorker* w = state(b.id);
        paint_box(p, b.box);
        QString status = QStringLiteral("looking for work");
        QColor dot;
        if (w && w->running) {
            status = QStringLiteral("running · %1").arg(format_duration(s.time - w->poll_start));
            dot = th.ok;
        } else if (w && w->parked) {
            status = QStringLiteral("asleep");
            dot = th.parked_hatch;
        }
        header(b.box, QString::fromStdString(view::worker_name(m_model, b.id)), status, dot);
        in_box_label(b, b.run, QStringLiteral("runs"));
        in_box_label(b, b.queue.rect, QStringLiteral("deque"));
        paint_empty_slot(p, b.run);
        if (!w || w->local.empty())
            draw_text(p, m_fonts.small_font, th.parked_hatch, b.queue.rect.adjusted(4, 0, 0, 0),
                      Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("empty"));
    }
    for (const StageLayout::Injector& inj : l.injectors) {
        paint_box(p, inj.panel.box);
        const std::size_t n = s.injector(inj.pool).size();
        header(inj.panel.box, inj.panel.title,
               n == 0 ? QStringLiteral("empty") : QString::number(n), {});
    }
    if (l.pool.shown) {
        paint_box(p, l.pool.box);
        header(l.pool.box, l.pool.title,
               s.blocking_queue.empty() ? QStringLiteral("empty")
                                        : QString::number(s.blocking_queue.size()),
               {});
    }
}

void StagePainter::paint_channels(QPainter& p, const StageLayout& l, const StageSnapshot& s) const {
    if (l.channels.empty()) return;
    const Theme& th = m_theme;
    p.setFont(m_fonts.small_font);
    p.setPen(th.text_dim);
    p.drawText(l.send_caption.rect, Qt::AlignRight | Qt::AlignVCenter, l.send_caption.text);
    // Shortened when the band is narrow.
    p.drawText(l.buffer_caption.rect, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(m_fonts.small_font)
                   .elidedText(l.buffer_caption.text, Qt::ElideRight,
                               std::max(l.buffer_caption.rect.width(), 0.0)));
    p.drawText(l.receive_caption.rect, Qt::AlignLeft | Qt::AlignVCenter, l.receive_caption.text);

    for (std::size_t i = 0; i < l.channels.size(); ++i) {
        const ChannelRow& c = l.channels[i];
        const view::ResourceTrack* r = m_model.resource(c.id);
        const view::StageChannel* sc = s.channel(c.id);
        if (!r || !sc) continue;
        const double opacity = sc->created ? 1.0 : 0.35;
        p.setOpacity(opacity);
        if (i % 2 == 1) p.fillRect(c.row, th.lane_alt);
        const double mid = c.row.center().y();
        // Name and kind.
        draw_text(
            p, m_fonts.bold, th.text, c.label.adjusted(0, 0, 0, -kChannelRow / 2 + 1),
            Qt::AlignLeft | Qt::AlignBottom,
            QFontMetricsF(m_fonts.bold)
                .elidedText(QString::fromStdString(r->name), Qt::ElideRight, c.label.width()));
        draw_text(p, m_fonts.small_font, th.text_dim,
                  c.label.adjusted(0, kChannelRow / 2 + 1, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                  kind_text(*r));

        // The conveyor: senders -> buffer -> receivers.
        const QPen track(th.separator, 1.5);
        p.setPen(track);
        const double in_x0 = c.senders.rect.right() + 4;
        const double in_x1 = c.buffer.left() - 4;
        p.drawLine(QPointF(in_x0, mid), QPointF(in_x1, mid));
        p.drawLine(QPointF(in_x1 - 5, mid - 4), QPointF(in_x1, mid));
        p.drawLine(QPointF(in_x1 - 5, mid + 4), QPointF(in_x1, mid));
        // Slots; a full buffer gets the "blocked" tint; the occupancy beside them.
        const bool watch = r->kind == ResourceKind::watch;
        const bool bounded = r->capacity != kUnbounded && !watch;
        const bool full = bounded && r->capacity > 0 && sc->buffered.size() >= r->capacity;
        const QString count =
            watch     ? QString()
            : bounded ? QStringLiteral("%1 / %2").arg(sc->buffered.size()).arg(r->capacity)
                      : QString::number(sc->buffered.size());
        const QFont& count_font = full ? m_fonts.bold : m_fonts.small_font;
        const double count_w =
            count.isEmpty() ? -8 : QFontMetricsF(count_font).horizontalAdvance(count);
        p.setPen(track);
        if (c.count.left() - 4 > c.buffer.right() + 12)
            p.drawLine(QPointF(c.buffer.right() + 4, mid), QPointF(c.count.left() - 4, mid));
        const double out_x0 = c.count.left() + count_w + 6;
        const double out_x1 = c.receivers.rect.left() - 4;
        p.drawLine(QPointF(out_x0, mid), QPointF(out_x1, mid));
        p.drawLine(QPointF(out_x1 - 5, mid - 4), QPointF(out_x1, mid));
        p.drawLine(QPointF(out_x1 - 5, mid + 4), QPointF(out_x1, mid));

        if (full) {
            p.setPen(Qt::NoPen);
            p.setBrush(th.blocked);
            p.drawRoundedRect(c.buffer.adjusted(-4, -4, 4, 4), 5, 5);
        }
        QPen slot_pen(th.parked_hatch, 1, bounded ? Qt::SolidLine : Qt::DashLine);
        p.setPen(slot_pen);
        p.setBrush(th.background);
        for (int k = 0; k < c.slot_count; ++k)
            p.drawRoundedRect(
                QRectF(c.buffer.left() + k * (kSlot + kSlotGap), c.buffer.top(), kSlot, kSlot)
                    .adjusted(0.5, 0.5, -0.5, -0.5),
                3, 3);
        if (bounded && r->capacity > static_cast<std::uint32_t>(c.slot_count)) {
            draw_text(p, m_fonts.small_font, th.text_dim,
                      QRectF(c.buffer.left() - kArrow, c.buffer.top(), kArrow - 4, kSlot),
                      Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("…"));
        }

        draw_text(p, count_font, full ? th.blocked_strip : th.text_dim, c.count,
                  Qt::AlignLeft | Qt::AlignVCenter, count);
        p.setOpacity(1.0);
    }
}

void StagePainter::paint_resources(QPainter& p, const StageLayout& l,
                                   const StageSnapshot& s) const {
    const Theme& th = m_theme;
    for (std::size_t i = 0; i < l.resources.size(); ++i) {
        const ResourceRow& row = l.resources[i];
        const view::ResourceTrack* r = m_model.resource(row.id);
        const view::StageResource* sr = s.resource(row.id);
        if (!r || !sr) continue;
        p.setOpacity(sr->created ? 1.0 : 0.35);
        if (i % 2 == 1) p.fillRect(row.row, th.lane_alt);
        const double h = row.row.height();
        draw_text(
            p, m_fonts.bold, th.text, row.label.adjusted(0, 0, 0, -h / 2 + 1),
            Qt::AlignLeft | Qt::AlignBottom,
            QFontMetricsF(m_fonts.bold)
                .elidedText(QString::fromStdString(r->name), Qt::ElideRight, row.label.width()));
        draw_text(p, m_fonts.small_font, th.text_dim, row.label.adjusted(0, h / 2 + 1, 0, 0),
                  Qt::AlignLeft | Qt::AlignTop,
                  QFontMetricsF(m_fonts.small_font)
                      .elidedText(kind_text(*r), Qt::ElideRight, row.label.width()));
        paint_holders(p, row, *r, *sr);
        // "2 waiting (1 to write)", or "no waiters".
        std::size_t writers = 0;
        for (WaitOp op : sr->waiter_ops)
            writers += op == WaitOp::write;
        QString waiting = sr->waiters.empty()
                              ? QStringLiteral("no waiters")
                              : QStringLiteral("%1 waiting").arg(sr->waiters.size());
        if (writers > 0) waiting += QStringLiteral("\n%1 to write").arg(writers);
        draw_text(p, m_fonts.small_font, writers > 0 ? th.writer_wait : th.text_dim,
                  QRectF(row.waiters.rect.left() - 72, row.row.top(), 66, h),
                  Qt::AlignRight | Qt::AlignVCenter, waiting);
        p.setOpacity(1.0);
    }
}

void StagePainter::paint_holders(QPainter& p, const StageLayout::ResourceRow& row,
                                 const view::ResourceTrack& r,
                                 const view::StageResource& sr) const {
    // Holders as small tags in their task colours ("reader 2", "refresher"), then
    // the mode ("2 reading", "writing", "3 permits"); "free" when nobody holds it.
    const Theme& th = m_theme;
    const QRectF area = row.holders;
    const QFontMetricsF fm(m_fonts.small_font);
    if (r.kind == ResourceKind::notify || r.kind == ResourceKind::barrier) return;
    if (sr.holders.empty()) {
        draw_text(p, m_fonts.small_font, th.text_dim, area, Qt::AlignLeft | Qt::AlignVCenter,
                  QStringLiteral("free"));
        return;
    }
    QString mode;
    if (r.kind == ResourceKind::rwlock)
        mode = sr.holder_modes.front() == LockMode::shared
                   ? QStringLiteral("%1 reading").arg(sr.holders.size())
                   : QStringLiteral("writing");
    else if (r.kind == ResourceKind::semaphore)
        mode = QStringLiteral("%1 holding").arg(sr.holders.size());
    else
        mode = QStringLiteral("holds it");
    const double mode_w = fm.horizontalAdvance(mode) + 6;
    const double tag_h = fm.height() + 4;
    const double y = area.center().y() - tag_h / 2;
    double x = area.left();
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    for (std::size_t i = 0; i < sr.holders.size(); ++i) {
        const view::TaskInfo* t = m_model.task(sr.holders[i]);
        const QString name =
            t ? QString::fromStdString(t->name) : QStringLiteral("task %1").arg(sr.holders[i]);
        const double w = fm.horizontalAdvance(name) + 10;
        if (x + w + mode_w > area.right()) {  // no room: count the rest
            const QString more = QStringLiteral("+%1").arg(sr.holders.size() - i);
            draw_text(p, m_fonts.small_font, th.text, QRectF(x, area.top(), 30, area.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, more);
            x += fm.horizontalAdvance(more) + 4;
            break;
        }
        const QColor fill = th.task_colour(sr.holders[i]);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        const QRectF tag(x, y, w, tag_h);
        p.drawRoundedRect(tag, 3, 3);
        draw_text(p, m_fonts.small_font, th.text_on(fill), tag, Qt::AlignCenter, name);
        x += w + 3;
    }
    p.restore();
    draw_text(p, m_fonts.small_font, th.text_dim, QRectF(x + 3, area.top(), mode_w, area.height()),
              Qt::AlignLeft | Qt::AlignVCenter, mode);
}

void StagePainter::paint_panels(QPainter& p, const StageLayout& l, const StageSnapshot& s) const {
    const Theme& th = m_theme;
    auto panel = [&](const Panel& panel, const QString& status) {
        if (!panel.shown) return;
        paint_box(p, panel.box);
        const QRectF line(panel.box.left() + kInner, panel.box.top(),
                          panel.box.width() - 2 * kInner, kHeader);
        draw_text(p, m_fonts.bold, th.text, line, Qt::AlignLeft | Qt::AlignVCenter, panel.title);
        draw_text(p, m_fonts.small_font, th.text_dim, line, Qt::AlignRight | Qt::AlignVCenter,
                  status);
    };
    auto count_text = [](std::size_t n) {
        return n == 0 ? QStringLiteral("none") : QString::number(n);
    };
    panel(l.sleeping, count_text(s.sleeping.size()));
    panel(l.joining, count_text(s.joining.size()));
    panel(l.idle, count_text(s.idle.size()));
    panel(l.done, s.done == 0 ? QStringLiteral("none")
                  : s.done > s.recent_done.size()
                      ? QStringLiteral("%1 (latest %2)").arg(s.done).arg(s.recent_done.size())
                      : QString::number(s.done));

    // Captions under sleepers (wake time) and joiners (whom they wait for).
    p.setFont(m_fonts.caption);
    p.setPen(th.text_dim);
    auto caption = [&](const Panel& panel, std::size_t i, std::size_t n, const QString& text) {
        if (const std::optional<QRectF> r = StageLayout::caption_under(panel.row, i, n))
            p.drawText(*r, Qt::AlignHCenter | Qt::AlignVCenter, text);
    };
    if (l.sleeping.shown)
        for (std::size_t i = 0; i < s.sleeping.size(); ++i) {
            const auto& wake = s.sleeping[i].wake_at;
            caption(l.sleeping, i, s.sleeping.size(),
                    wake ? QStringLiteral("wakes %1").arg(format_time(*wake))
                         : QStringLiteral("wakes —"));
        }
    if (l.joining.shown) {
        const QFontMetricsF fm(m_fonts.caption);
        for (std::size_t i = 0; i < s.joining.size(); ++i) {
            const TaskId awaited = s.joining[i].awaited;
            const QString name =
                awaited ? QString::fromStdString(std::string(m_model.task_name(awaited)))
                        : QStringLiteral("?");
            caption(l.joining, i, s.joining.size(),
                    fm.elidedText(QStringLiteral("→ ") + name, Qt::ElideRight,
                                  l.joining.row.cell_width + kChipGap));
        }
    }
}

void StagePainter::paint_task_chip(QPainter& p, const QPointF& centre, TaskId task, double opacity,
                                   ChipStyle style) const {
    if (opacity <= 0.01) return;
    const Theme& th = m_theme;
    const QRectF r =
        centred(centre, QSizeF(m_chip_width, kChipHeight)).adjusted(0.5, 0.5, -0.5, -0.5);
    const QColor fill = th.task_colour(task);
    const bool outlined = style != ChipStyle::solid;
    p.save();
    p.setOpacity(p.opacity() * opacity);
    if (style == ChipStyle::ghost) {
        p.setPen(QPen(fill.darker(120), 1.2, Qt::DashLine));
        p.setBrush(blend(fill, th.background, 0.8));
    } else if (style == ChipStyle::done) {
        // Finished: the task's colour as an outline, readable dark text.
        p.setPen(QPen(fill.darker(110), 1.5));
        p.setBrush(blend(fill, th.background, 0.78));
    } else {
        // A soft shadow lifts the chip off the boxes.
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 28));
        p.drawRoundedRect(r.translated(0, 1.5), 5, 5);
        p.setPen(QPen(fill.darker(135), 1));
        p.setBrush(fill);
    }
    p.drawRoundedRect(r, 5, 5);
    const view::TaskInfo* info = m_model.task(task);
    if (info && info->outcome && *info->outcome != TaskOutcome::completed && info->ended) {
        p.setPen(QPen(th.outcome_colour(*info->outcome), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 4, 4);
    }
    draw_text(p, m_fonts.chip, outlined ? th.text : th.text_on(fill), r, Qt::AlignCenter,
              chip_name(task));
    p.restore();
}

void StagePainter::paint_chips(QPainter& p, const StageLayout& l, const StageSnapshot& s) const {
    for (const StageLayout::ChipSpot& d : l.chips(s)) {
        if (d.message()) {
            paint_message_chip(p, d.at, d.task, d.opacity);
            continue;
        }
        paint_task_chip(p, d.at, d.task, d.opacity, d.done ? ChipStyle::done : ChipStyle::solid);
        // A select waits on each of its branches; the chip sits at the first one,
        // and a badge says how many it races (hovering lists them).
        if (!d.waits) continue;
        const view::TaskSpan* span = m_model.span_at(d.task, s.time);
        if (!span || span->state != view::TaskState::waiting || !span->select) continue;
        paint_select_badge(p, d.at + QPointF(l.chip_width / 2 - 3, -kChipHeight / 2 + 1),
                           m_model.select_waits(span->select).size());
    }
}

void StagePainter::paint_select_badge(QPainter& p, const QPointF& centre,
                                      std::size_t branches) const {
    const QString text = QString::number(branches);
    const QFontMetricsF fm(m_fonts.small_bold);
    const double w = std::max(14.0, fm.horizontalAdvance(text) + 8);
    const QRectF badge(centre.x() - w / 2, centre.y() - 7, w, 14);
    p.setPen(QPen(m_theme.background, 1.5));
    p.setBrush(m_theme.text_dim);
    p.drawRoundedRect(badge, 7, 7);
    draw_text(p, m_fonts.small_bold, m_theme.background, badge, Qt::AlignCenter, text);
}

void StagePainter::paint_message_chip(QPainter& p, const QPointF& centre, TaskId sender,
                                      double opacity) const {
    if (opacity <= 0.01) return;
    const QColor fill = m_theme.task_colour(sender);
    p.save();
    p.setOpacity(p.opacity() * opacity);
    p.setPen(QPen(fill.darker(140), 1));
    p.setBrush(fill);
    p.drawRoundedRect(centred(centre, QSizeF(kMessageSize, kMessageSize)), 3, 3);
    p.restore();
}

void StagePainter::paint_overflows(QPainter& p, const StageLayout& l,
                                   const StageSnapshot& s) const {
    // A badge over the last place shown: how many are hidden under it.
    const QFontMetricsF fm(m_fonts.small_bold);
    for (const StageLayout::Overflow& o : l.overflows(s)) {
        const QString text = QStringLiteral("+%1").arg(o.hidden);
        const QRectF badge(o.last.x() + l.chip_width / 2 - fm.horizontalAdvance(text) - 8,
                           o.last.y() - kChipHeight / 2 - 7, fm.horizontalAdvance(text) + 8, 14);
        p.save();
        p.setPen(Qt::NoPen);
        p.setBrush(m_theme.text);
        p.drawRoundedRect(badge, 7, 7);
        draw_text(p, m_fonts.small_bold, m_theme.text_light, badge, Qt::AlignCenter, text);
        p.restore();
    }
}

void StagePainter::paint_legend(QPainter& p, const StageLayout& l) const {
    const Theme& th = m_theme;
    using Sample = StageLayout::LegendEntry::Sample;
    for (const StageLayout::LegendEntry& e : l.legend) {
        if (e.sample == Sample::note) {
            // a caption alone
        } else if (e.sample == Sample::message) {
            paint_message_chip(p, e.centre, 2, 1.0);
        } else if (e.sample == Sample::select) {
            paint_select_badge(p, e.centre, 2);
        } else {
            if (e.sample == Sample::task) {
                p.setPen(QPen(th.task_colour(1).darker(135), 1));
                p.setBrush(th.task_colour(1));
            } else if (e.sample == Sample::finished) {
                p.setPen(QPen(th.task_colour(3).darker(110), 1.5));
                p.setBrush(blend(th.task_colour(3), th.background, 0.78));
            } else if (e.sample == Sample::full_buffer) {
                p.setPen(Qt::NoPen);
                p.setBrush(th.blocked);
            } else {
                p.setPen(QPen(th.parked_hatch, 1, Qt::DashLine));
                p.setBrush(Qt::NoBrush);
            }
            p.drawRoundedRect(e.box, 4, 4);
        }
        draw_text(p, m_fonts.caption, th.text_dim, e.caption.rect, Qt::AlignLeft | Qt::AlignVCenter,
                  e.caption.text);
    }
}

}  // namespace spindle::render
