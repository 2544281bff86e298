#include "stage/stage_painter.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QImage>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

#include "lane/lane.h"

namespace spindle::render {

using view::StageArea;
using view::StageSlot;
using view::StageSnapshot;

namespace {

constexpr double kPad = 16;         ///< around the whole stage
constexpr double kGap = 12;         ///< between boxes
constexpr double kInner = 10;       ///< inside a box
constexpr double kHeader = 26;      ///< a box's title line
constexpr double kTitle = 52;       ///< the stage's title and subtitle
constexpr double kSection = 22;     ///< a section caption
constexpr double kSectionGap = 14;  ///< below a section
constexpr double kLine = 30;        ///< one chip line inside a worker box
constexpr double kInBoxLabel = 44;  ///< "runs", "LIFO", "queue"
constexpr double kChannelLabel = 170;
constexpr double kChannelRow = 36;
constexpr double kResourceRow = 32;
constexpr double kColumnCaption = 16;
constexpr double kSlot = 18;  ///< a channel buffer slot
constexpr double kSlotGap = 4;
constexpr double kCaption = 14;  ///< under a chip (wake time, joined task)
constexpr double kChipGap = 6;
constexpr double kMinStep = 14;  ///< chips overlap down to this step, then "+k"
constexpr double kArrow = 26;    ///< between a channel's zones
constexpr double kLegend = 20;

QFont make_font(int px, bool bold) {
    QFont f = QGuiApplication::font();
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(px);
    f.setBold(bold);
    return f;
}

/// Smooth start and stop (cubic ease-in-out) of a linear progress.
double ease(double x) {
    x = std::clamp(x, 0.0, 1.0);
    return x < 0.5 ? 4 * x * x * x : 1 - std::pow(-2 * x + 2, 3) / 2;
}

QPointF lerp(const QPointF& a, const QPointF& b, double t) {
    return a + (b - a) * t;
}

QRectF centred(const QPointF& c, QSizeF size) {
    return QRectF(c.x() - size.width() / 2, c.y() - size.height() / 2, size.width(), size.height());
}

/// `name` shortened to `width`: the last word kept whole when it is short ("bou…
/// consumer", "in async ti… a"), since that is what tells siblings apart.
QString short_name(const QString& name, const QFontMetricsF& fm, double width) {
    if (fm.horizontalAdvance(name) <= width) return name;
    const auto space = name.lastIndexOf(QLatin1Char(' '));
    if (space > 0) {
        const QString last = name.mid(space);
        const double rest = width - fm.horizontalAdvance(last);
        if (rest >= width * 0.35)
            return fm.elidedText(name.left(space), Qt::ElideRight, rest) + last;
    }
    return fm.elidedText(name, Qt::ElideRight, width);
}

QString kind_text(const view::ResourceTrack& r) {
    const QString kind = QString::fromLatin1(to_string(r.kind));
    switch (r.kind) {
        case ResourceKind::mpsc:
        case ResourceKind::broadcast:
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

StageRenderer::StageRenderer(const view::StageIndex& index, const Theme& theme)
    : m_index(index),
      m_model(index.model()),
      m_theme(theme),
      m_font(make_font(theme.font_px, false)),
      m_bold(make_font(theme.font_px, true)),
      m_small(make_font(theme.font_px - 1, false)),
      m_small_bold(make_font(theme.font_px - 2, true)),
      m_chip_font(make_font(theme.font_px - 1, false)),
      m_title_font(make_font(theme.title_font_px + 1, true)),
      m_title_plain(make_font(theme.title_font_px + 1, false)),
      m_caption(make_font(theme.font_px - 2, false)) {
    m_small_bold.setLetterSpacing(QFont::AbsoluteSpacing, 0.8);
    const auto& tasks = m_model.tasks();
    m_chip_names.reserve(tasks.size());
    for (const view::TaskInfo& t : tasks)
        m_chip_names.push_back(short_name(
            t.name.empty() ? QStringLiteral("#%1").arg(t.id) : QString::fromStdString(t.name),
            QFontMetricsF(m_chip_font), kChipWidth - 10));
}

QString StageRenderer::title_name() const {
    if (!m_title.isEmpty()) return m_title;
    const std::string& config = m_model.run().config;
    if (config.rfind("scenario=", 0) == 0) {
        const auto end = config.find(" workers=");
        return QString::fromStdString(config.substr(9, end == std::string::npos ? end : end - 9));
    }
    return QStringLiteral("run");
}

const QString& StageRenderer::chip_name(TaskId task) const {
    return task >= 1 && task <= m_chip_names.size() ? m_chip_names[task - 1] : m_no_name;
}

// ---- Layout -----------------------------------------------------------------------

const StageRenderer::Layout& StageRenderer::layout(double width) const {
    if (m_layout.width != width) build(m_layout, width);
    return m_layout;
}

double StageRenderer::height_for_width(double width) const {
    if (width < kMinLayoutWidth) return layout(kMinLayoutWidth).height * width / kMinLayoutWidth;
    return layout(width).height;
}

void StageRenderer::build(Layout& l, double width) const {
    l = Layout{};
    l.width = width;
    const auto& workers = m_model.workers();
    const auto& resources = m_model.resources();
    l.worker_box.assign(workers.size(), -1);
    l.channel_row.assign(resources.size() + 1, -1);
    l.resource_row.assign(resources.size() + 1, -1);
    double y = kPad + kTitle;
    const double inner_width = std::max(width - 2 * kPad, 200.0);

    // Workers in a row (wrapping), the global queue beside them.
    std::vector<WorkerId> cores, lanes;
    for (const view::WorkerLane& w : workers)
        (w.role == WorkerRole::core ? cores : lanes).push_back(w.id);
    if (!cores.empty()) {
        l.sections.emplace_back(y, QStringLiteral("WORKER THREADS"));
        y += kSection;
        // Wide enough for its title and "empty" side by side.
        const double header_w =
            QFontMetricsF(m_bold).horizontalAdvance(QStringLiteral("global queue")) +
            QFontMetricsF(m_small).horizontalAdvance(QStringLiteral("empty")) + 2 * kInner + 12;
        const double global_w =
            std::max(header_w, inner_width >= 1100 ? 2 * kChipWidth + kChipGap + 2 * kInner
                                                   : kChipWidth + 2 * kInner);
        const double avail = inner_width - global_w - kGap;
        const double min_box = 2 * kInner + kInBoxLabel + 2 * kChipWidth + kChipGap;
        const double max_box = 2 * kInner + kInBoxLabel + 4 * kChipWidth + 3 * kChipGap;
        const auto n = static_cast<int>(cores.size());
        const int per_row = std::clamp(static_cast<int>((avail + kGap) / (min_box + kGap)), 1, n);
        const double box_w = std::min(max_box, (avail - (per_row - 1) * kGap) / per_row);
        const double box_h = kHeader + 3 * kLine + 4;
        const int rows = (n + per_row - 1) / per_row;
        for (int i = 0; i < n; ++i) {
            WorkerBox b;
            b.id = cores[static_cast<std::size_t>(i)];
            b.box = QRectF(kPad + (i % per_row) * (box_w + kGap),
                           y + (i / per_row) * (box_h + kGap), box_w, box_h);
            const double x0 = b.box.left() + kInner + kInBoxLabel;
            const double y0 = b.box.top() + kHeader + (kLine - kChipHeight) / 2;
            b.run = QRectF(x0, y0, kChipWidth, kChipHeight);
            b.lifo = QRectF(x0, y0 + kLine, kChipWidth, kChipHeight);
            b.queue.rect = QRectF(x0, y0 + 2 * kLine, b.box.right() - kInner - x0, kChipHeight);
            l.worker_box[b.id] = static_cast<int>(l.cores.size());
            l.cores.push_back(b);
        }
        const double block_h = rows * box_h + (rows - 1) * kGap;
        l.global.title = QStringLiteral("global queue");
        l.global.box = QRectF(kPad + per_row * (box_w + kGap), y, global_w, block_h);
        l.global.row.rect = l.global.box.adjusted(kInner, kHeader, -kInner, -kInner);
        l.global.row.grid = true;
        l.global.shown = true;
        y += block_h + kSectionGap;
    }

    // Blocking threads, the pool's queue beside them.
    if (!lanes.empty() || m_index.uses(StageArea::blocking_queue)) {
        l.sections.emplace_back(y, QStringLiteral("BLOCKING POOL"));
        y += kSection;
        const double pool_w = 2 * kChipWidth + kChipGap + 2 * kInner;
        const double avail = inner_width - pool_w - kGap;
        const double lane_w =
            std::max(kChipWidth + 2 * kInner + 48,
                     QFontMetricsF(m_bold).horizontalAdvance(QStringLiteral("blocking 00")) +
                         QFontMetricsF(m_small).horizontalAdvance(QStringLiteral("not started")) +
                         2 * kInner + 22);
        const double lane_h = kHeader + kLine + 4;
        const int per_row = std::max(1, static_cast<int>((avail + kGap) / (lane_w + kGap)));
        const auto n = static_cast<int>(lanes.size());
        const int rows = std::max(1, (n + per_row - 1) / per_row);
        for (int i = 0; i < n; ++i) {
            WorkerBox b;
            b.id = lanes[static_cast<std::size_t>(i)];
            b.box = QRectF(kPad + (i % per_row) * (lane_w + kGap),
                           y + (i / per_row) * (lane_h + kGap), lane_w, lane_h);
            b.run =
                QRectF(b.box.center().x() - kChipWidth / 2,
                       b.box.top() + kHeader + (kLine - kChipHeight) / 2, kChipWidth, kChipHeight);
            l.worker_box[b.id] = static_cast<int>(l.lanes.size());
            l.lanes.push_back(b);
        }
        const double block_h = rows * lane_h + (rows - 1) * kGap;
        l.pool.title = QStringLiteral("pool queue");
        l.pool.box = QRectF(kPad + std::clamp(n, 1, per_row) * (lane_w + kGap), y, pool_w, block_h);
        l.pool.row.rect = l.pool.box.adjusted(kInner, kHeader, -kInner, -kInner);
        l.pool.row.grid = true;
        l.pool.shown = true;
        y += block_h + kSectionGap;
    }

    // Channels: waiting senders, the buffer's slot_count (oldest on the right), receivers.
    bool any_channel = false;
    for (const view::ResourceTrack& r : resources)
        if (r.id != 0 && view::is_stage_channel(r.kind)) any_channel = true;
    if (any_channel) {
        l.sections.emplace_back(y, QStringLiteral("CHANNELS"));
        y += kSection;
        l.channel_header = y;
        y += kColumnCaption;
        // Waiting tasks overlap when they outgrow their side; a narrow stage
        // gives the buffer the room (it is what the row is about).
        const double side_w = inner_width < 900 ? kChipWidth + 24 : 2 * kChipWidth + kChipGap;
        const double count_w = 70;
        const double step = kSlot + kSlotGap;
        const double x_senders = kPad + kChannelLabel;
        const double x_buffer = x_senders + side_w + kArrow;
        // As many slots as the largest buffer needs (an unbounded one: the most it
        // held), within the width: the receivers follow in one column.
        const double most = kPad + inner_width - count_w - side_w - kArrow - x_buffer;
        const int fit = std::max(1, static_cast<int>((most + kSlotGap) / step));
        auto slots_of = [fit](const view::ResourceTrack& r) {
            if (r.kind == ResourceKind::watch || r.kind == ResourceKind::oneshot) return 1;
            if (r.capacity == kUnbounded || r.capacity == 0)
                return std::clamp(static_cast<int>(r.max_len) + 1, 4, fit);
            return std::min(fit, static_cast<int>(r.capacity));
        };
        int widest = 6;
        for (const view::ResourceTrack& r : resources)
            if (r.id != 0 && view::is_stage_channel(r.kind)) widest = std::max(widest, slots_of(r));
        widest = std::min(widest, fit);
        // The occupancy right after the band, then the way out to the receivers,
        // who get the rest of the row.
        const double x_count = x_buffer + widest * step - kSlotGap + 10;
        const double x_receivers = x_count + count_w + kArrow;
        const double receivers_w = std::max(side_w, kPad + inner_width - x_receivers);
        for (const view::ResourceTrack& r : resources) {
            if (r.id == 0 || !view::is_stage_channel(r.kind)) continue;
            ChannelRow c;
            c.id = r.id;
            c.row = QRectF(kPad, y, inner_width, kChannelRow);
            c.label = QRectF(kPad, y, kChannelLabel - 8, kChannelRow);
            const double mid = y + kChannelRow / 2;
            c.senders.rect = QRectF(x_senders, mid - kChipHeight / 2, side_w, kChipHeight);
            c.senders.from_right = true;
            c.slot_count = std::min(slots_of(r), widest);
            c.buffer = QRectF(x_buffer, mid - kSlot / 2, c.slot_count * step - kSlotGap, kSlot);
            c.receivers.rect = QRectF(x_receivers, mid - kChipHeight / 2, receivers_w, kChipHeight);
            c.count = QRectF(x_count, y, count_w, kChannelRow);
            l.channel_row[r.id] = static_cast<int>(l.channels.size());
            l.channels.push_back(c);
            y += kChannelRow;
        }
        y += kSectionGap;
    }

    // Locks, semaphores, notifies, barriers: their waiters in a row.
    bool any_sync = false;
    for (const view::ResourceTrack& r : resources)
        if (r.id != 0 && view::is_stage_sync(r.kind)) any_sync = true;
    if (any_sync) {
        l.sections.emplace_back(y, QStringLiteral("LOCKS AND SIGNALS"));
        y += kSection;
        for (const view::ResourceTrack& r : resources) {
            if (r.id == 0 || !view::is_stage_sync(r.kind)) continue;
            ResourceRow row;
            row.id = r.id;
            row.row = QRectF(kPad, y, inner_width, kResourceRow);
            row.label = QRectF(kPad, y, kChannelLabel - 8, kResourceRow);
            row.waiters.rect =
                QRectF(kPad + kChannelLabel + 64, y + (kResourceRow - kChipHeight) / 2,
                       inner_width - kChannelLabel - 64, kChipHeight);
            l.resource_row[r.id] = static_cast<int>(l.resources.size());
            l.resources.push_back(row);
            y += kResourceRow;
        }
        y += kSectionGap;
    }

    // Off the workers: asleep, joining, idle, done — panels side by side.
    struct Want {
        Panel* panel;
        StageArea area;
        const char* title;
        double cell_width;
        double cell_height;
    };
    const double captioned = kChipWidth + 16;
    const Want wants[] = {
        {&l.sleeping, StageArea::sleeping, "sleeping", captioned, kChipHeight + kCaption},
        {&l.joining, StageArea::joining, "waiting on a task", captioned, kChipHeight + kCaption},
        {&l.idle, StageArea::idle, "idle", kChipWidth, kChipHeight},
        {&l.done, StageArea::done, "done", kChipWidth, kChipHeight},
    };
    int shown = 0;
    for (const Want& w : wants)
        shown += m_index.uses(w.area) ? 1 : 0;
    if (shown > 0) {
        l.sections.emplace_back(y, QStringLiteral("OFF THE WORKERS"));
        y += kSection;
        // One line of chips, two when the most a panel ever holds needs them.
        const double panel_w = (inner_width - (shown - 1) * kGap) / shown;
        double panel_h = 0;
        for (const Want& w : wants) {
            if (!m_index.uses(w.area)) continue;
            const auto cols = static_cast<std::uint32_t>(std::max(
                1,
                static_cast<int>((panel_w - 2 * kInner + kChipGap) / (w.cell_width + kChipGap))));
            std::uint32_t most = m_index.peak(w.area);
            if (w.area == StageArea::done) most = std::min(most, view::StageIndex::kRecentDone);
            const int lines = most > cols ? 2 : 1;
            panel_h = std::max(panel_h, kHeader + lines * (w.cell_height + kChipGap) + kInner - 2);
        }
        double x = kPad;
        for (const Want& w : wants) {
            if (!m_index.uses(w.area)) continue;
            Panel& p = *w.panel;
            p.title = QString::fromLatin1(w.title);
            p.box = QRectF(x, y, panel_w, panel_h);
            p.row.rect = p.box.adjusted(kInner, kHeader, -kInner, -kInner);
            p.row.grid = true;
            p.row.cell_width = w.cell_width;
            p.row.cell_height = w.cell_height;
            p.shown = true;
            x += panel_w + kGap;
        }
        y += panel_h + kSectionGap;
    }
    l.legend = y - 4;
    l.height = std::ceil(l.legend + kLegend + kPad);
}

std::size_t StageRenderer::row_capacity(const Row& row, QSizeF item) {
    const QRectF& r = row.rect;
    if (row.grid) {
        const double cell = std::max(row.cell_width, item.width());
        const auto cols = std::max(1, static_cast<int>((r.width() + kChipGap) / (cell + kChipGap)));
        const auto rows =
            std::max(1, static_cast<int>((r.height() + kChipGap) / (row.cell_height + kChipGap)));
        return static_cast<std::size_t>(cols * rows);
    }
    return 1 + static_cast<std::size_t>(std::max(0.0, (r.width() - item.width()) / kMinStep));
}

StageRenderer::Place StageRenderer::row_place(const Row& row, std::size_t index, std::size_t count,
                                              QSizeF item) {
    const QRectF& r = row.rect;
    const std::size_t cap = row_capacity(row, item);
    Place p;
    p.shown = index < cap;
    const std::size_t i = std::min(index, cap - 1);
    if (row.grid) {
        const double cell = std::max(row.cell_width, item.width());
        const auto cols = static_cast<std::size_t>(
            std::max(1, static_cast<int>((r.width() + kChipGap) / (cell + kChipGap))));
        const double x = r.left() + static_cast<double>(i % cols) * (cell + kChipGap);
        const double y = r.top() + static_cast<double>(i / cols) * (row.cell_height + kChipGap);
        p.centre = QPointF(x + cell / 2, y + item.height() / 2);
        return p;
    }
    double step = item.width() + kChipGap;
    const std::size_t n = std::min(std::max(count, index + 1), cap);
    if (n > 1 && (n - 1) * step + item.width() > r.width())
        step = std::max(kMinStep, (r.width() - item.width()) / static_cast<double>(n - 1));
    const double offset = item.width() / 2 + static_cast<double>(i) * step;
    p.centre = QPointF(row.from_right ? r.right() - offset : r.left() + offset, r.center().y());
    return p;
}

StageRenderer::Place StageRenderer::place(const Layout& l, const StageSlot& slot,
                                          const StageSnapshot& s) const {
    const QSizeF chip(kChipWidth, kChipHeight);
    auto worker = [&](std::uint32_t id) -> const WorkerBox* {
        if (id >= l.worker_box.size() || l.worker_box[id] < 0) return nullptr;
        const auto& list = m_model.workers()[id].role == WorkerRole::core ? l.cores : l.lanes;
        return &list[static_cast<std::size_t>(l.worker_box[id])];
    };
    auto channel = [&](std::uint32_t id) -> const ChannelRow* {
        return id < l.channel_row.size() && l.channel_row[id] >= 0
                   ? &l.channels[static_cast<std::size_t>(l.channel_row[id])]
                   : nullptr;
    };
    Place invalid;
    invalid.valid = false;
    switch (slot.area) {
        case StageArea::none:
            return invalid;
        case StageArea::running:
        case StageArea::lane:
            if (const WorkerBox* b = worker(slot.owner)) return Place{b->run.center()};
            return invalid;
        case StageArea::lifo:
            if (const WorkerBox* b = worker(slot.owner)) return Place{b->lifo.center()};
            return invalid;
        case StageArea::local:
            if (const WorkerBox* b = worker(slot.owner)) {
                const std::size_t n =
                    slot.owner < s.workers.size() ? s.workers[slot.owner].local.size() : 0;
                return row_place(b->queue, slot.index, n, chip);
            }
            return invalid;
        case StageArea::global:
            return row_place(l.global.row, slot.index, s.global.size(), chip);
        case StageArea::blocking_queue:
            return row_place(l.pool.row, slot.index, s.blocking_queue.size(), chip);
        case StageArea::buffer:
            if (const ChannelRow* c = channel(slot.owner)) {
                const auto slot_count = static_cast<std::uint32_t>(c->slot_count);
                Place p;
                p.shown = slot.index < slot_count;
                const std::uint32_t from_left =
                    slot_count - 1 - std::min(slot.index, slot_count - 1);
                p.centre = QPointF(c->buffer.left() + from_left * (kSlot + kSlotGap) + kSlot / 2,
                                   c->buffer.center().y());
                return p;
            }
            return invalid;
        case StageArea::chan_in:
            if (const ChannelRow* c = channel(slot.owner))
                return Place{QPointF(c->buffer.left() - kArrow / 2, c->buffer.center().y())};
            return invalid;
        case StageArea::chan_out:
            if (const ChannelRow* c = channel(slot.owner))
                return Place{QPointF(c->receivers.rect.left() - 8, c->buffer.center().y())};
            return invalid;
        case StageArea::senders:
        case StageArea::receivers:
            if (const ChannelRow* c = channel(slot.owner)) {
                const view::StageChannel* sc = s.channel(slot.owner);
                const bool send = slot.area == StageArea::senders;
                const std::size_t n = sc ? (send ? sc->senders.size() : sc->receivers.size()) : 0;
                return row_place(send ? c->senders : c->receivers, slot.index, n, chip);
            }
            return invalid;
        case StageArea::waiters:
            if (slot.owner < l.resource_row.size() && l.resource_row[slot.owner] >= 0) {
                const ResourceRow& r =
                    l.resources[static_cast<std::size_t>(l.resource_row[slot.owner])];
                const view::StageResource* sr = s.resource(slot.owner);
                return row_place(r.waiters, slot.index, sr ? sr->waiters.size() : 0, chip);
            }
            return invalid;
        case StageArea::joining:
            return row_place(l.joining.row, slot.index, s.joining.size(), chip);
        case StageArea::sleeping:
            return row_place(l.sleeping.row, slot.index, s.sleeping.size(), chip);
        case StageArea::idle:
            return row_place(l.idle.row, slot.index, s.idle.size(), chip);
        case StageArea::done:
            return row_place(l.done.row, slot.index, s.recent_done.size(), chip);
    }
    return invalid;
}

QPointF StageRenderer::slot_centre(const StageSlot& slot, const StageSnapshot& s,
                                   double width) const {
    return place(layout(width), slot, s).centre;
}

double StageRenderer::scale_for(const QRectF& rect, double* width) const {
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

// ---- Painting -----------------------------------------------------------------------

void StageRenderer::paint(QPainter& p, const StageSnapshot& s, const QRectF& rect) const {
    double width = 0;
    const double k = scale_for(rect, &width);
    const Layout& l = layout(width);
    p.save();
    p.setClipRect(rect);
    p.fillRect(rect, m_theme.background);
    p.translate(rect.topLeft());
    p.scale(k, k);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);

    paint_title(p, s, width);
    p.setFont(m_small_bold);
    p.setPen(m_theme.text_dim);
    for (const auto& [y, caption] : l.sections)
        p.drawText(QRectF(kPad, y, width - 2 * kPad, kSection - 6),
                   Qt::AlignLeft | Qt::AlignVCenter, caption);
    paint_workers(p, l, s);
    paint_channels(p, l, s);
    paint_resources(p, l, s);
    paint_panels(p, l, s);
    paint_chips(p, l, s);
    paint_overflows(p, l, s);
    paint_legend(p, l);
    p.restore();
}

void StageRenderer::paint_title(QPainter& p, const StageSnapshot& s, double width) const {
    const Theme& th = m_theme;
    const QString name = title_name();
    p.setFont(m_title_font);
    p.setPen(th.text);
    const QRectF line(kPad, kPad - 4, width - 2 * kPad, 26);
    p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, name);
    double x = kPad + QFontMetricsF(m_title_font).horizontalAdvance(name) + 10;
    const QFont& plain = m_title_plain;
    const QString stage_at = QStringLiteral("stage at");
    p.setFont(plain);
    p.setPen(th.text_dim);
    p.drawText(QRectF(x, line.top(), width - kPad - x, line.height()),
               Qt::AlignLeft | Qt::AlignVCenter, stage_at);
    x += QFontMetricsF(plain).horizontalAdvance(stage_at) + 8;

    // The time in a badge of the playhead's colour (the timeline's playhead shows it too).
    const QString t = format_time(s.time);
    const QFontMetricsF bfm(m_bold);
    const QRectF badge(x, line.top() + 2, bfm.horizontalAdvance(t) + 16, line.height() - 4);
    p.setPen(Qt::NoPen);
    p.setBrush(th.playhead);
    p.drawRoundedRect(badge, 4, 4);
    p.setFont(m_bold);
    p.setPen(th.text_light);
    p.drawText(badge, Qt::AlignCenter, t);

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
    p.setFont(m_small);
    p.setPen(th.text_dim);
    const double room = width - 2 * kPad;
    p.drawText(QRectF(kPad, line.bottom() + 2, room, 18), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(m_small).elidedText(sub, Qt::ElideRight, room));
}

void StageRenderer::paint_box(QPainter& p, const QRectF& box, bool faded) const {
    p.setPen(QPen(m_theme.separator, 1));
    p.setBrush(faded ? m_theme.background : m_theme.lane_alt);
    p.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
}

void StageRenderer::paint_empty_slot(QPainter& p, const QRectF& r) const {
    QPen pen(m_theme.parked_hatch, 1, Qt::DashLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
}

void StageRenderer::paint_workers(QPainter& p, const Layout& l, const StageSnapshot& s) const {
    const Theme& th = m_theme;
    auto header = [&](const QRectF& box, const QString& name, const QString& status,
                      const QColor& dot) {
        const QRectF line(box.left() + kInner, box.top(), box.width() - 2 * kInner, kHeader);
        p.setFont(m_bold);
        p.setPen(th.text);
        p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, name);
        p.setFont(m_small);
        p.setPen(th.text_dim);
        // The status gives way to the name: elided to the room the name leaves.
        const QFontMetricsF small(m_small);
        const double room = line.width() - QFontMetricsF(m_bold).horizontalAdvance(name) -
                            (dot.isValid() ? 22 : 10);
        const QString shown = small.elidedText(status, Qt::ElideRight, std::max(room, 0.0));
        const double w = small.horizontalAdvance(shown);
        p.drawText(line, Qt::AlignRight | Qt::AlignVCenter, shown);
        if (dot.isValid()) {
            p.setPen(Qt::NoPen);
            p.setBrush(dot);
            p.drawEllipse(QPointF(line.right() - w - 8, line.center().y()), 3.5, 3.5);
        }
    };
    auto in_box_label = [&](const WorkerBox& b, const QRectF& slot, const QString& text) {
        p.setFont(m_small);
        p.setPen(th.text_dim);
        p.drawText(QRectF(b.box.left() + kInner, slot.top(), kInBoxLabel - 4, slot.height()),
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
        in_box_label(b, b.lifo, QStringLiteral("LIFO"));
        in_box_label(b, b.queue.rect, QStringLiteral("queue"));
        paint_empty_slot(p, b.run);
        paint_empty_slot(p, b.lifo);
        if (!w || w->local.empty()) {
            p.setFont(m_small);
            p.setPen(th.parked_hatch);
            p.drawText(b.queue.rect.adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                       QStringLiteral("empty"));
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
        paint_box(p, b.box, !started);
        QString status = started ? QStringLiteral("free") : QStringLiteral("not started");
        QColor dot;
        if (w && w->running) {
            status = QStringLiteral("running");
            dot = th.ok;
        } else if (w && w->pinned) {
            status = QStringLiteral("held");
            dot = th.queued;
        }
        const auto lane_index =
            static_cast<int>(&b - l.lanes.data());  // as the timeline numbers them
        header(b.box, QStringLiteral("blocking %1").arg(lane_index), status, dot);
        paint_empty_slot(p, b.run);
        // A held thread whose task waits elsewhere: a ghost of the task stays here.
        if (w && w->pinned && !w->running) {
            const view::TaskChip* c = s.chip(w->pinned);
            if (c && c->to.area != StageArea::lane)
                paint_task_chip(p, b.run.center(), w->pinned, 0.6, ChipStyle::ghost);
        }
    }
    if (l.pool.shown) {
        paint_box(p, l.pool.box);
        header(l.pool.box, l.pool.title,
               s.blocking_queue.empty() ? QStringLiteral("empty")
                                        : QString::number(s.blocking_queue.size()),
               {});
    }
}

void StageRenderer::paint_channels(QPainter& p, const Layout& l, const StageSnapshot& s) const {
    if (l.channels.empty()) return;
    const Theme& th = m_theme;
    const ChannelRow& first = l.channels.front();
    p.setFont(m_small);
    p.setPen(th.text_dim);
    const QRectF caption_line(0, l.channel_header, 0, kColumnCaption);
    p.drawText(QRectF(first.senders.rect.left(), caption_line.top(), first.senders.rect.width(),
                      kColumnCaption),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("waiting to send"));
    {
        // Up to the receivers' column; shortened when the band is narrow.
        const double room = first.receivers.rect.left() - first.buffer.left() - 8;
        const QString caption = QFontMetricsF(m_small).elidedText(
            QStringLiteral("buffer  (oldest on the right)"), Qt::ElideRight, std::max(room, 0.0));
        p.drawText(QRectF(first.buffer.left(), caption_line.top(), room, kColumnCaption),
                   Qt::AlignLeft | Qt::AlignVCenter, caption);
    }
    p.drawText(QRectF(first.receivers.rect.left(), caption_line.top(), first.receivers.rect.width(),
                      kColumnCaption),
               Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("waiting to receive"));

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
        p.setFont(m_bold);
        p.setPen(th.text);
        p.drawText(c.label.adjusted(0, 0, 0, -kChannelRow / 2 + 1), Qt::AlignLeft | Qt::AlignBottom,
                   QFontMetricsF(m_bold).elidedText(QString::fromStdString(r->name), Qt::ElideRight,
                                                    c.label.width()));
        p.setFont(m_small);
        p.setPen(th.text_dim);
        p.drawText(c.label.adjusted(0, kChannelRow / 2 + 1, 0, 0), Qt::AlignLeft | Qt::AlignTop,
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
        const QFont& count_font = full ? m_bold : m_small;
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
            p.setFont(m_small);
            p.setPen(th.text_dim);
            p.drawText(QRectF(c.buffer.left() - kArrow, c.buffer.top(), kArrow - 4, kSlot),
                       Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("…"));
        }

        p.setFont(count_font);
        p.setPen(full ? th.blocked_strip : th.text_dim);
        p.drawText(c.count, Qt::AlignLeft | Qt::AlignVCenter, count);
        p.setOpacity(1.0);
    }
}

void StageRenderer::paint_resources(QPainter& p, const Layout& l, const StageSnapshot& s) const {
    const Theme& th = m_theme;
    for (std::size_t i = 0; i < l.resources.size(); ++i) {
        const ResourceRow& row = l.resources[i];
        const view::ResourceTrack* r = m_model.resource(row.id);
        const view::StageResource* sr = s.resource(row.id);
        if (!r || !sr) continue;
        p.setOpacity(sr->created ? 1.0 : 0.35);
        if (i % 2 == 1) p.fillRect(row.row, th.lane_alt);
        p.setFont(m_bold);
        p.setPen(th.text);
        const double h = row.row.height();
        p.drawText(row.label.adjusted(0, 0, 0, -h / 2 + 1), Qt::AlignLeft | Qt::AlignBottom,
                   QFontMetricsF(m_bold).elidedText(QString::fromStdString(r->name), Qt::ElideRight,
                                                    row.label.width()));
        p.setFont(m_small);
        p.setPen(th.text_dim);
        QString kind = kind_text(*r);
        if (!sr->holders.empty()) {
            const view::TaskInfo* holder = m_model.task(sr->holders.front());
            kind += QStringLiteral(" · held by ") +
                    (holder ? QString::fromStdString(holder->name)
                            : QStringLiteral("task %1").arg(sr->holders.front()));
            if (sr->holders.size() > 1) kind += QStringLiteral(" +%1").arg(sr->holders.size() - 1);
        }
        p.drawText(row.label.adjusted(0, h / 2 + 1, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                   QFontMetricsF(m_small).elidedText(
                       kind, Qt::ElideRight, row.waiters.rect.left() - 70 - row.label.left()));
        p.drawText(QRectF(row.waiters.rect.left() - 64, row.row.top(), 58, h),
                   Qt::AlignRight | Qt::AlignVCenter,
                   sr->waiters.empty() ? QStringLiteral("no waiters") : QStringLiteral("waiting"));
        p.setOpacity(1.0);
    }
}

void StageRenderer::paint_panels(QPainter& p, const Layout& l, const StageSnapshot& s) const {
    const Theme& th = m_theme;
    auto panel = [&](const Panel& panel, const QString& status) {
        if (!panel.shown) return;
        paint_box(p, panel.box);
        const QRectF line(panel.box.left() + kInner, panel.box.top(),
                          panel.box.width() - 2 * kInner, kHeader);
        p.setFont(m_bold);
        p.setPen(th.text);
        p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, panel.title);
        p.setFont(m_small);
        p.setPen(th.text_dim);
        p.drawText(line, Qt::AlignRight | Qt::AlignVCenter, status);
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
    const QSizeF chip(kChipWidth, kChipHeight);
    p.setFont(m_caption);
    p.setPen(th.text_dim);
    auto caption = [&](const Panel& panel, std::size_t i, std::size_t n, const QString& text) {
        const Place at = row_place(panel.row, i, n, chip);
        if (!at.shown) return;
        const double w = panel.row.cell_width + kChipGap;
        p.drawText(QRectF(at.centre.x() - w / 2, at.centre.y() + kChipHeight / 2 + 1, w, kCaption),
                   Qt::AlignHCenter | Qt::AlignVCenter, text);
    };
    if (l.sleeping.shown)
        for (std::size_t i = 0; i < s.sleeping.size(); ++i) {
            const auto& wake = s.sleeping[i].wake_at;
            caption(l.sleeping, i, s.sleeping.size(),
                    wake ? QStringLiteral("wakes %1").arg(format_time(*wake))
                         : QStringLiteral("wakes —"));
        }
    if (l.joining.shown) {
        const QFontMetricsF fm(m_caption);
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

void StageRenderer::paint_overflow(QPainter& p, const Row& row, std::size_t count,
                                   QSizeF item) const {
    const std::size_t cap = row_capacity(row, item);
    if (count <= cap) return;
    // A badge over the last place shown: how many are hidden under it.
    const Place last = row_place(row, cap - 1, count, item);
    const QString text = QStringLiteral("+%1").arg(count - cap + 1);
    const QFontMetricsF fm(m_small_bold);
    const QRectF badge(last.centre.x() + item.width() / 2 - fm.horizontalAdvance(text) - 8,
                       last.centre.y() - item.height() / 2 - 7, fm.horizontalAdvance(text) + 8, 14);
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(m_theme.text);
    p.drawRoundedRect(badge, 7, 7);
    p.setFont(m_small_bold);
    p.setPen(m_theme.text_light);
    p.drawText(badge, Qt::AlignCenter, text);
    p.restore();
}

void StageRenderer::paint_task_chip(QPainter& p, const QPointF& centre, TaskId task, double opacity,
                                    ChipStyle style) const {
    if (opacity <= 0.01) return;
    const Theme& th = m_theme;
    const QRectF r =
        centred(centre, QSizeF(kChipWidth, kChipHeight)).adjusted(0.5, 0.5, -0.5, -0.5);
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
    p.setFont(m_chip_font);
    p.setPen(outlined ? th.text : th.text_on(fill));
    p.drawText(r, Qt::AlignCenter, chip_name(task));
    p.restore();
}

void StageRenderer::paint_chips(QPainter& p, const Layout& l, const StageSnapshot& s) const {
    // One list of everything to draw, so that still chips (tasks, then messages)
    // go under moving ones (messages, then tasks), and the front of a row on top.
    struct Draw {
        QPointF at;
        double opacity = 1.0;
        int layer = 0;  ///< 0 still task, 1 still message, 2 moving message, 3 moving task
        std::uint32_t index = 0;
        TaskId task = 0;  ///< the task, or the message's sender
        bool done = false;
        bool waits = false;  ///< at rest where tasks wait (a select shows a badge there)
    };
    std::vector<Draw> draws;
    draws.reserve(s.tasks.size() + s.messages.size());
    for (const view::TaskChip& c : s.tasks) {
        const Place to = place(l, c.to, s);
        if (!to.valid) continue;
        const Place from = c.progress < 1.0 ? place(l, c.from, s) : to;
        if (!to.shown && (!from.valid || !from.shown)) continue;
        const double e = ease(c.progress);
        const bool moving = c.progress < 1.0 && c.from != c.to;
        const bool waits =
            !moving && (c.to.area == StageArea::senders || c.to.area == StageArea::receivers ||
                        c.to.area == StageArea::waiters || c.to.area == StageArea::sleeping ||
                        c.to.area == StageArea::joining);
        Draw d{to.centre, 1.0, moving ? 3 : 0, c.to.index, c.task, c.to.area == StageArea::done,
               waits};
        if (!from.valid)
            d.opacity = e;  // appearing: fade in where it is
        else
            d.at = lerp(from.centre, to.centre, e);
        draws.push_back(d);
    }
    for (const view::MessageChip& m : s.messages) {
        const Place to = place(l, m.to, s);
        if (!to.valid) continue;
        const Place from = m.progress < 1.0 ? place(l, m.from, s) : to;
        if (!to.shown && !from.shown) continue;
        const double e = ease(m.progress);
        Draw d{from.valid ? lerp(from.centre, to.centre, e) : to.centre,
               1.0,
               m.progress < 1.0 ? 2 : 1,
               m.to.index,
               m.sender,
               false,
               false};
        if (m.leaving)
            d.opacity = 1.0 - std::clamp((e - 0.5) * 2, 0.0, 1.0);
        else if (m.from.area == StageArea::chan_in)
            d.opacity = std::clamp(e * 3, 0.0, 1.0);
        if (!from.valid) d.opacity = e;
        draws.push_back(d);
    }
    std::sort(draws.begin(), draws.end(), [](const Draw& a, const Draw& b) {
        if (a.layer != b.layer) return a.layer < b.layer;
        return a.index > b.index;
    });
    for (const Draw& d : draws) {
        if (d.layer == 1 || d.layer == 2) {
            paint_message_chip(p, d.at, d.task, d.opacity);
            continue;
        }
        paint_task_chip(p, d.at, d.task, d.opacity, d.done ? ChipStyle::done : ChipStyle::solid);
        // A select waits on each of its branches; the chip sits at the first one,
        // and a badge says how many it races (hovering lists them).
        if (!d.waits) continue;
        const view::TaskSpan* span = m_model.span_at(d.task, s.time);
        if (!span || span->state != view::TaskState::waiting || !span->select) continue;
        paint_select_badge(p, d.at + QPointF(kChipWidth / 2 - 3, -kChipHeight / 2 + 1),
                           m_model.select_waits(span->select).size());
    }
}

void StageRenderer::paint_select_badge(QPainter& p, const QPointF& centre,
                                       std::size_t branches) const {
    const QString text = QString::number(branches);
    const QFontMetricsF fm(m_small_bold);
    const double w = std::max(14.0, fm.horizontalAdvance(text) + 8);
    const QRectF badge(centre.x() - w / 2, centre.y() - 7, w, 14);
    p.setPen(QPen(m_theme.background, 1.5));
    p.setBrush(m_theme.text_dim);
    p.drawRoundedRect(badge, 7, 7);
    p.setFont(m_small_bold);
    p.setPen(m_theme.background);
    p.drawText(badge, Qt::AlignCenter, text);
}

void StageRenderer::paint_message_chip(QPainter& p, const QPointF& centre, TaskId sender,
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

void StageRenderer::paint_overflows(QPainter& p, const Layout& l, const StageSnapshot& s) const {
    const QSizeF chip(kChipWidth, kChipHeight);
    for (const WorkerBox& b : l.cores)
        if (b.id < s.workers.size()) paint_overflow(p, b.queue, s.workers[b.id].local.size(), chip);
    if (l.global.shown) paint_overflow(p, l.global.row, s.global.size(), chip);
    if (l.pool.shown) paint_overflow(p, l.pool.row, s.blocking_queue.size(), chip);
    for (const ChannelRow& c : l.channels)
        if (const view::StageChannel* sc = s.channel(c.id)) {
            paint_overflow(p, c.senders, sc->senders.size(), chip);
            paint_overflow(p, c.receivers, sc->receivers.size(), chip);
        }
    for (const ResourceRow& r : l.resources)
        if (const view::StageResource* sr = s.resource(r.id))
            paint_overflow(p, r.waiters, sr->waiters.size(), chip);
    if (l.sleeping.shown) paint_overflow(p, l.sleeping.row, s.sleeping.size(), chip);
    if (l.joining.shown) paint_overflow(p, l.joining.row, s.joining.size(), chip);
    if (l.idle.shown) paint_overflow(p, l.idle.row, s.idle.size(), chip);
}

void StageRenderer::paint_legend(QPainter& p, const Layout& l) const {
    const Theme& th = m_theme;
    const double mid = l.legend + kLegend / 2;
    const QFontMetricsF fm(m_caption);
    double x = kPad;
    p.setFont(m_caption);
    auto text = [&](const QString& s) {
        p.setPen(th.text_dim);
        p.drawText(QRectF(x, l.legend, fm.horizontalAdvance(s) + 2, kLegend),
                   Qt::AlignLeft | Qt::AlignVCenter, s);
        x += fm.horizontalAdvance(s) + 22;
    };
    const QRectF sample(x, mid - 7, 22, 14);
    p.setPen(QPen(th.task_colour(1).darker(135), 1));
    p.setBrush(th.task_colour(1));
    p.drawRoundedRect(sample, 4, 4);
    x += 28;
    text(QStringLiteral("task (same colour in every view)"));
    paint_message_chip(p, QPointF(x + kMessageSize / 2, mid), 2, 1.0);
    x += kMessageSize + 6;
    text(QStringLiteral("message (its sender's colour)"));
    p.setPen(QPen(th.task_colour(3).darker(110), 1.5));
    p.setBrush(blend(th.task_colour(3), th.background, 0.78));
    p.drawRoundedRect(QRectF(x, mid - 7, 22, 14), 4, 4);
    x += 28;
    text(QStringLiteral("finished"));
    p.setPen(Qt::NoPen);
    p.setBrush(th.blocked);
    p.drawRoundedRect(QRectF(x, mid - 7, 22, 14), 4, 4);
    x += 28;
    text(QStringLiteral("full buffer"));
    p.setPen(QPen(th.parked_hatch, 1, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(x, mid - 7, 22, 14), 4, 4);
    x += 28;
    text(QStringLiteral("empty slot"));
    // Only when the line has room for it (a narrow stage leaves it out).
    const QString select = QStringLiteral("in a select of n branches");
    if (x + 22 + fm.horizontalAdvance(select) <= l.width - kPad) {
        paint_select_badge(p, QPointF(x + 7, mid), 2);
        p.setFont(m_caption);
        x += 22;
        text(select);
    }
}

TaskId StageRenderer::task_at(const StageSnapshot& s, const QRectF& rect,
                              const QPointF& pos) const {
    double width = 0;
    const double k = scale_for(rect, &width);
    const Layout& l = layout(width);
    const QPointF at = (pos - rect.topLeft()) / k;
    TaskId best = 0;
    for (const view::TaskChip& c : s.tasks) {
        const Place to = place(l, c.to, s);
        if (!to.valid || !to.shown) continue;
        const Place from = c.progress < 1.0 ? place(l, c.from, s) : to;
        const QPointF centre =
            from.valid ? lerp(from.centre, to.centre, ease(c.progress)) : to.centre;
        if (centred(centre, QSizeF(kChipWidth, kChipHeight)).contains(at)) best = c.task;
    }
    return best;
}

ExportResult export_stage_png(const view::RunModel& model, view::Time at, int width,
                              double pixel_ratio, const QString& path, const QString& title,
                              const Theme& theme) {
    if (!(pixel_ratio >= 0.25 && pixel_ratio <= 8))
        return {false,
                QStringLiteral("pixel ratio %1 is out of range (0.25 to 8)").arg(pixel_ratio)};
    const view::StageIndex index(model);
    StageRenderer renderer(index, theme);
    if (!title.isEmpty()) renderer.set_title(title);
    // A still picture: every chip where it has arrived (no move half done).
    const view::StageSnapshot snapshot = index.at(at, 0);
    const QSize size(width, static_cast<int>(std::ceil(renderer.height_for_width(width))));
    QImage image(QSize(static_cast<int>(std::lround(size.width() * pixel_ratio)),
                       static_cast<int>(std::lround(size.height() * pixel_ratio))),
                 QImage::Format_RGB32);
    if (image.isNull())
        return {false, QStringLiteral("cannot write %1: the image is too large").arg(path)};
    image.setDevicePixelRatio(pixel_ratio);
    {
        QPainter p(&image);
        renderer.paint(p, snapshot, QRectF(QPointF(0, 0), QSizeF(size)));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {false, QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    if (!image.save(&file, "PNG") || file.error() != QFileDevice::NoError) {
        file.cancelWriting();
        return {false, QStringLiteral("cannot write %1: PNG encoding failed").arg(path)};
    }
    if (!file.commit())
        return {false, QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    return {true, QStringLiteral("wrote %1 (%2×%3 px PNG at %4×)")
                      .arg(path)
                      .arg(size.width())
                      .arg(size.height())
                      .arg(pixel_ratio)};
}

}  // namespace spindle::render
