// StageLayout's construction and queries (see stage_layout.h): geometry only, no
// painting. Its invariants are tested headless in tests/gui/test_stage_layout.cpp.
#include "stage/stage_layout.h"

#include <QFontMetricsF>
#include <QGuiApplication>

#include <algorithm>
#include <cmath>

namespace spindle::render {

using namespace stage;
using view::StageArea;
using view::StageSlot;
using view::StageSnapshot;

namespace {

QFont make_font(int px, bool bold) {
    QFont f = QGuiApplication::font();
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(px);
    f.setBold(bold);
    return f;
}

/// A section's caption line at `y`, across the stage.
StageLayout::Caption section(double y, double width, QString text) {
    return {QRectF(kPad, y, width - 2 * kPad, kSection - 6), std::move(text)};
}

/// The legend line at `top`: samples and captions from the left, the select's
/// entry and (with Rayon pools) what a deque's ends mean only when the line has room.
std::vector<StageLayout::LegendEntry> legend_line(const StageFonts& fonts, double top, double width,
                                                  bool deques) {
    using Entry = StageLayout::LegendEntry;
    const QFontMetricsF fm(fonts.caption);
    const double mid = top + kLegend / 2;
    double x = kPad;
    std::vector<Entry> out;
    auto add = [&](Entry::Sample sample, double sample_width, QString text) {
        Entry e;
        e.sample = sample;
        e.box = QRectF(x, mid - 7, 22, 14);
        e.centre = QPointF(x + (sample == Entry::Sample::message ? kMessageSize / 2 : 7), mid);
        x += sample_width;
        e.caption = {QRectF(x, top, fm.horizontalAdvance(text) + 2, kLegend), text};
        x += fm.horizontalAdvance(text) + 22;
        out.push_back(std::move(e));
    };
    add(Entry::Sample::task, 28, QStringLiteral("task (same colour in every view)"));
    add(Entry::Sample::message, kMessageSize + 6, QStringLiteral("message (its sender's colour)"));
    add(Entry::Sample::finished, 28, QStringLiteral("finished"));
    add(Entry::Sample::full_buffer, 28, QStringLiteral("full buffer"));
    add(Entry::Sample::empty_slot, 28, QStringLiteral("empty slot"));
    const QString select = QStringLiteral("in a select of n branches");
    if (x + 22 + fm.horizontalAdvance(select) <= width - kPad)
        add(Entry::Sample::select, 22, select);
    // Rayon: a thread pushes and pops its deque's newest end; thieves take the oldest.
    const QString deque = QStringLiteral("deque: thieves take from the left, its thread the right");
    if (deques && x + fm.horizontalAdvance(deque) <= width - kPad)
        add(Entry::Sample::note, 0, deque);
    return out;
}

}  // namespace

bool has_thread_queues(Policy policy) {
    return policy == Policy::work_stealing;
}

StageFonts::StageFonts(const Theme& theme)
    : bold(make_font(theme.font_px, true)),
      small_font(make_font(theme.font_px - 1, false)),
      small_bold(make_font(theme.font_px - 2, true)),
      chip(make_font(theme.font_px - 1, false)),
      title(make_font(theme.title_font_px + 1, true)),
      title_plain(make_font(theme.title_font_px + 1, false)),
      caption(make_font(theme.font_px - 2, false)) {
    small_bold.setLetterSpacing(QFont::AbsoluteSpacing, 0.8);
}

QString StageLayout::chip_text(const view::TaskInfo& task) {
    return task.name.empty() ? QStringLiteral("#%1").arg(task.id)
                             : QString::fromStdString(task.name);
}

double StageLayout::chip_width_for(const view::StageIndex& index, const StageFonts& fonts) {
    const QFontMetricsF fm(fonts.chip);
    double widest = 0;
    for (const view::TaskInfo& t : index.model().tasks())
        if (t.id != 0) widest = std::max(widest, fm.horizontalAdvance(chip_text(t)));
    return std::clamp(std::ceil(widest + kChipPadding), kChipWidth, kMaxChipWidth);
}

StageLayout StageLayout::build(const view::StageIndex& index, const StageFonts& fonts, double width,
                               double chip_width) {
    StageLayout l;
    l.width = width;
    l.chip_width = chip_width < 0 ? chip_width_for(index, fonts) : chip_width;
    const double cw = l.chip_width;
    const auto& workers = index.model().workers();
    const auto& resources = index.model().resources();
    l.worker_box.assign(workers.size(), BoxRef{});
    l.channel_row.assign(resources.size() + 1, -1);
    l.resource_row.assign(resources.size() + 1, -1);
    double y = kPad + kTitle;
    const double inner_width = std::max(width - 2 * kPad, 200.0);

    // Workers in a row (wrapping). Work-stealing gives each thread a LIFO slot and a
    // local queue, with the global queue beside the threads; the global-queue and
    // current-thread policies have only the global queue, drawn as a row under them.
    std::vector<WorkerId> cores, lanes, threads, rayon;
    for (const view::WorkerTrack& w : workers)
        (w.role == WorkerRole::core     ? cores
         : w.role == WorkerRole::thread ? threads
         : w.role == WorkerRole::rayon  ? rayon
                                        : lanes)
            .push_back(w.id);
    const bool has_blocking = !lanes.empty() || index.uses(StageArea::blocking_queue);
    lanes.insert(lanes.end(), threads.begin(), threads.end());  // the pool's, then OS threads
    if (!cores.empty()) {
        const bool own_queues = has_thread_queues(index.model().run().policy);
        l.sections.push_back(section(y, width, QStringLiteral("WORKER THREADS")));
        y += kSection;
        // Wide enough for its title and "empty" side by side.
        const double header_w =
            QFontMetricsF(fonts.bold).horizontalAdvance(QStringLiteral("global queue")) +
            QFontMetricsF(fonts.small_font).horizontalAdvance(QStringLiteral("empty")) +
            2 * kInner + 12;
        const double global_w =
            !own_queues ? 0
                        : std::max(header_w, inner_width >= 1100 ? 2 * cw + kChipGap + 2 * kInner
                                                                 : cw + 2 * kInner);
        const double avail = own_queues ? inner_width - global_w - kGap : inner_width;
        const double min_box = 2 * kInner + kInBoxLabel + 2 * cw + kChipGap;
        const double max_box =
            own_queues ? 2 * kInner + kInBoxLabel + 4 * cw + 3 * kChipGap : min_box + cw;
        const auto n = static_cast<int>(cores.size());
        const int per_row = std::clamp(static_cast<int>((avail + kGap) / (min_box + kGap)), 1, n);
        const double box_w = std::min(max_box, (avail - (per_row - 1) * kGap) / per_row);
        const double box_h = kHeader + (own_queues ? 3 : 1) * kLine + 4;
        const int rows = (n + per_row - 1) / per_row;
        for (int i = 0; i < n; ++i) {
            WorkerBox b;
            b.id = cores[static_cast<std::size_t>(i)];
            b.box = QRectF(kPad + (i % per_row) * (box_w + kGap),
                           y + (i / per_row) * (box_h + kGap), box_w, box_h);
            const double x0 = b.box.left() + kInner + kInBoxLabel;
            const double y0 = b.box.top() + kHeader + (kLine - kChipHeight) / 2;
            b.run = QRectF(x0, y0, cw, kChipHeight);
            if (own_queues) {
                b.lifo = QRectF(x0, y0 + kLine, cw, kChipHeight);
                b.queue.rect = QRectF(x0, y0 + 2 * kLine, b.box.right() - kInner - x0, kChipHeight);
            }
            l.worker_box[b.id] = BoxRef{static_cast<int>(l.cores.size()), BoxRef::Group::cores};
            l.cores.push_back(b);
        }
        const double block_h = rows * box_h + (rows - 1) * kGap;
        l.global.title = QStringLiteral("global queue");
        if (own_queues) {
            l.global.box = QRectF(kPad + per_row * (box_w + kGap), y, global_w, block_h);
            l.global.row.rect = l.global.box.adjusted(kInner, kHeader, -kInner, -kInner);
            l.global.row.grid = true;
            l.global.row.cell_width = cw;
            y += block_h + kSectionGap;
        } else {
            // The one run queue, front on the left, as wide as the stage.
            const double top = y + block_h + kGap;
            l.global.box = QRectF(kPad, top, inner_width, kHeader + kChipHeight + kInner + 4);
            l.global.row.rect = l.global.box.adjusted(kInner, kHeader, -kInner, -kInner);
            y = l.global.box.bottom() + kSectionGap;
        }
        l.global.shown = true;
    }

    // Blocking threads, the pool's queue beside them.
    if (!lanes.empty() || index.uses(StageArea::blocking_queue)) {
        l.sections.push_back(section(y, width,
                                     threads.empty() ? QStringLiteral("BLOCKING POOL")
                                     : has_blocking ? QStringLiteral("BLOCKING POOL AND OS THREADS")
                                                    : QStringLiteral("OS THREADS")));
        y += kSection;
        const double pool_w = 2 * cw + kChipGap + 2 * kInner;
        const double avail = inner_width - pool_w - kGap;
        const double lane_w = std::max(
            cw + 2 * kInner + 48,
            QFontMetricsF(fonts.bold).horizontalAdvance(QStringLiteral("blocking 00")) +
                QFontMetricsF(fonts.small_font).horizontalAdvance(QStringLiteral("not started")) +
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
            b.run = QRectF(b.box.center().x() - cw / 2,
                           b.box.top() + kHeader + (kLine - kChipHeight) / 2, cw, kChipHeight);
            l.worker_box[b.id] = BoxRef{static_cast<int>(l.lanes.size()), BoxRef::Group::lanes};
            l.lanes.push_back(b);
        }
        const double block_h = rows * lane_h + (rows - 1) * kGap;
        l.pool.title = QStringLiteral("pool queue");
        l.pool.box = QRectF(kPad + std::clamp(n, 1, per_row) * (lane_w + kGap), y, pool_w, block_h);
        l.pool.row.rect = l.pool.box.adjusted(kInner, kHeader, -kInner, -kInner);
        l.pool.row.grid = true;
        l.pool.row.cell_width = cw;
        l.pool.shown = has_blocking;  // OS threads alone have no pool
        y += block_h + kSectionGap;
    }

    // Rayon pools, one section each: a box per thread (the job it runs, its deque —
    // newest on the right, where the owner takes; thieves take from the left), and the
    // pool's injector beside them.
    for (std::size_t first = 0; first < rayon.size();) {
        const ResourceId pool = workers[rayon[first]].pool;
        std::size_t end = first;
        while (end < rayon.size() && workers[rayon[end]].pool == pool)
            ++end;
        const view::ResourceTrack* r = index.model().resource(pool);
        const QString name =
            r && !r->name.empty() ? QString::fromStdString(r->name) : QStringLiteral("rayon");
        l.sections.push_back(section(
            y, width, QStringLiteral("RAYON POOL '%1' — %2 THREADS").arg(name).arg(end - first)));
        y += kSection;
        const double inj_w = 2 * cw + kChipGap + 2 * kInner;
        const double avail = inner_width - inj_w - kGap;
        const double min_box = 2 * kInner + kInBoxLabel + 2 * cw + kChipGap;
        const double max_box = 2 * kInner + kInBoxLabel + 4 * cw + 3 * kChipGap;
        const auto n = static_cast<int>(end - first);
        const int per_row = std::clamp(static_cast<int>((avail + kGap) / (min_box + kGap)), 1, n);
        const double box_w = std::min(max_box, (avail - (per_row - 1) * kGap) / per_row);
        const double box_h = kHeader + 2 * kLine + 4;
        const int rows = (n + per_row - 1) / per_row;
        for (int i = 0; i < n; ++i) {
            WorkerBox b;
            b.id = rayon[first + static_cast<std::size_t>(i)];
            b.box = QRectF(kPad + (i % per_row) * (box_w + kGap),
                           y + (i / per_row) * (box_h + kGap), box_w, box_h);
            const double x0 = b.box.left() + kInner + kInBoxLabel;
            const double y0 = b.box.top() + kHeader + (kLine - kChipHeight) / 2;
            b.run = QRectF(x0, y0, cw, kChipHeight);
            b.queue.rect = QRectF(x0, y0 + kLine, b.box.right() - kInner - x0, kChipHeight);
            l.worker_box[b.id] = BoxRef{static_cast<int>(l.rayon.size()), BoxRef::Group::rayon};
            l.rayon.push_back(b);
        }
        const double block_h = rows * box_h + (rows - 1) * kGap;
        Injector inj;
        inj.pool = pool;
        inj.panel.title = QStringLiteral("injector");
        inj.panel.box = QRectF(kPad + per_row * (box_w + kGap), y, inj_w, block_h);
        inj.panel.row.rect = inj.panel.box.adjusted(kInner, kHeader, -kInner, -kInner);
        inj.panel.row.grid = true;
        inj.panel.row.cell_width = cw;
        inj.panel.shown = true;
        l.injectors.push_back(inj);
        y += block_h + kSectionGap;
        first = end;
    }

    // Channels: waiting senders, the buffer's slot_count (oldest on the right), receivers.
    bool any_channel = false;
    for (const view::ResourceTrack& r : resources)
        if (r.id != 0 && view::is_stage_channel(r.kind)) any_channel = true;
    if (any_channel) {
        l.sections.push_back(section(y, width, QStringLiteral("CHANNELS")));
        y += kSection;
        const double header = y;
        y += kColumnCaption;
        // Waiting tasks overlap when they outgrow their side; a narrow stage
        // gives the buffer the room (it is what the row is about).
        const double side_w = inner_width < 900 ? cw + 24 : 2 * cw + kChipGap;
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
        // Column captions over the first row; the buffer's reaches to the receivers.
        const ChannelRow& first = l.channels.front();
        l.send_caption = {
            QRectF(first.senders.rect.left(), header, first.senders.rect.width(), kColumnCaption),
            QStringLiteral("waiting to send")};
        l.buffer_caption = {
            QRectF(first.buffer.left(), header,
                   first.receivers.rect.left() - first.buffer.left() - 8, kColumnCaption),
            QStringLiteral("buffer  (oldest on the right)")};
        l.receive_caption = {QRectF(first.receivers.rect.left(), header,
                                    first.receivers.rect.width(), kColumnCaption),
                             QStringLiteral("waiting to receive")};
        y += kSectionGap;
    }

    // Locks, semaphores, notifies, barriers: their waiters in a row.
    bool any_sync = false;
    for (const view::ResourceTrack& r : resources)
        if (r.id != 0 && view::is_stage_sync(r.kind)) any_sync = true;
    if (any_sync) {
        l.sections.push_back(section(y, width, QStringLiteral("LOCKS AND SIGNALS")));
        y += kSection;
        for (const view::ResourceTrack& r : resources) {
            if (r.id == 0 || !view::is_stage_sync(r.kind)) continue;
            ResourceRow row;
            row.id = r.id;
            row.row = QRectF(kPad, y, inner_width, kResourceRow);
            row.label = QRectF(kPad, y, kChannelLabel - 8, kResourceRow);
            row.holders = QRectF(kPad + kChannelLabel, y, kHolders - 8, kResourceRow);
            row.waiters.rect =
                QRectF(kPad + kChannelLabel + kHolders + 72, y + (kResourceRow - kChipHeight) / 2,
                       inner_width - kChannelLabel - kHolders - 72, kChipHeight);
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
    const double captioned = cw + 16;
    const Want wants[] = {
        {&l.sleeping, StageArea::sleeping, "sleeping", captioned, kChipHeight + kCaption},
        {&l.joining, StageArea::joining, "waiting on a task", captioned, kChipHeight + kCaption},
        {&l.idle, StageArea::idle, "idle", cw, kChipHeight},
        {&l.done, StageArea::done, "done", cw, kChipHeight},
    };
    int shown = 0;
    for (const Want& w : wants)
        shown += index.uses(w.area) ? 1 : 0;
    if (shown > 0) {
        l.sections.push_back(section(y, width, QStringLiteral("OFF THE WORKERS")));
        y += kSection;
        // One line of chips, two when the most a panel ever holds needs them.
        const double panel_w = (inner_width - (shown - 1) * kGap) / shown;
        double panel_h = 0;
        for (const Want& w : wants) {
            if (!index.uses(w.area)) continue;
            const auto cols = static_cast<std::uint32_t>(std::max(
                1,
                static_cast<int>((panel_w - 2 * kInner + kChipGap) / (w.cell_width + kChipGap))));
            std::uint32_t most = index.peak(w.area);
            if (w.area == StageArea::done) most = std::min(most, view::StageIndex::kRecentDone);
            const int lines = most > cols ? 2 : 1;
            panel_h = std::max(panel_h, kHeader + lines * (w.cell_height + kChipGap) + kInner - 2);
        }
        double x = kPad;
        for (const Want& w : wants) {
            if (!index.uses(w.area)) continue;
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
    l.legend_top = y - 4;
    l.height = std::ceil(l.legend_top + kLegend + kPad);
    l.legend = legend_line(fonts, l.legend_top, width, !l.rayon.empty());
    return l;
}

const StageLayout::WorkerBox* StageLayout::worker(WorkerId id) const {
    if (id >= worker_box.size() || worker_box[id].index < 0) return nullptr;
    const auto& list = worker_box[id].group == BoxRef::Group::lanes   ? lanes
                       : worker_box[id].group == BoxRef::Group::rayon ? rayon
                                                                      : cores;
    return &list[static_cast<std::size_t>(worker_box[id].index)];
}

const StageLayout::ChannelRow* StageLayout::channel(ResourceId id) const {
    return id < channel_row.size() && channel_row[id] >= 0
               ? &channels[static_cast<std::size_t>(channel_row[id])]
               : nullptr;
}

const StageLayout::ResourceRow* StageLayout::resource(ResourceId id) const {
    return id < resource_row.size() && resource_row[id] >= 0
               ? &resources[static_cast<std::size_t>(resource_row[id])]
               : nullptr;
}

std::size_t StageLayout::row_capacity(const Row& row, QSizeF item) {
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

StageLayout::Place StageLayout::row_place(const Row& row, std::size_t index, std::size_t count,
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

std::optional<QRectF> StageLayout::caption_under(const Row& row, std::size_t index,
                                                 std::size_t count) {
    // A grid's cells are at least a chip wide, so the chip's own width does not matter.
    const Place at = row_place(row, index, count, QSizeF(kChipWidth, kChipHeight));
    if (!at.shown) return std::nullopt;
    const double w = row.cell_width + kChipGap;
    return QRectF(at.centre.x() - w / 2, at.centre.y() + kChipHeight / 2 + 1, w, kCaption);
}

StageLayout::Place StageLayout::place(const StageSlot& slot, const StageSnapshot& s) const {
    const QSizeF chip = this->chip();
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
            if (const WorkerBox* b = worker(slot.owner); b && !b->lifo.isNull())
                return Place{b->lifo.center()};
            return invalid;
        case StageArea::local:
            if (const WorkerBox* b = worker(slot.owner); b && b->has_queues()) {
                const std::size_t n =
                    slot.owner < s.workers.size() ? s.workers[slot.owner].local.size() : 0;
                return row_place(b->queue, slot.index, n, chip);
            }
            return invalid;
        case StageArea::global:
            return row_place(global.row, slot.index, s.global.size(), chip);
        case StageArea::injector:
            for (const Injector& inj : injectors)
                if (inj.pool == slot.owner)
                    return row_place(inj.panel.row, slot.index, s.injector(inj.pool).size(), chip);
            return invalid;
        case StageArea::blocking_queue:
            return row_place(pool.row, slot.index, s.blocking_queue.size(), chip);
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
            if (const ResourceRow* r = resource(slot.owner)) {
                const view::StageResource* sr = s.resource(slot.owner);
                return row_place(r->waiters, slot.index, sr ? sr->waiters.size() : 0, chip);
            }
            return invalid;
        case StageArea::joining:
            return row_place(joining.row, slot.index, s.joining.size(), chip);
        case StageArea::sleeping:
            return row_place(sleeping.row, slot.index, s.sleeping.size(), chip);
        case StageArea::idle:
            return row_place(idle.row, slot.index, s.idle.size(), chip);
        case StageArea::done:
            return row_place(done.row, slot.index, s.recent_done.size(), chip);
    }
    return invalid;
}

TaskId StageLayout::task_at(const StageSnapshot& s, const QPointF& pos) const {
    TaskId best = 0;
    for (const view::TaskChip& c : s.tasks) {
        const Place to = place(c.to, s);
        if (!to.valid || !to.shown) continue;
        const Place from = c.progress < 1.0 ? place(c.from, s) : to;
        const QPointF centre =
            from.valid ? lerp(from.centre, to.centre, ease(c.progress)) : to.centre;
        if (centred(centre, chip()).contains(pos)) best = c.task;
    }
    return best;
}

std::vector<StageLayout::ChipSpot> StageLayout::chips(const StageSnapshot& s) const {
    std::vector<ChipSpot> spots;
    spots.reserve(s.tasks.size() + s.messages.size());
    for (const view::TaskChip& c : s.tasks) {
        const Place to = place(c.to, s);
        if (!to.valid) continue;
        const Place from = c.progress < 1.0 ? place(c.from, s) : to;
        if (!to.shown && (!from.valid || !from.shown)) continue;
        const double e = ease(c.progress);
        const bool moving = c.progress < 1.0 && c.from != c.to;
        const bool waits =
            !moving && (c.to.area == StageArea::senders || c.to.area == StageArea::receivers ||
                        c.to.area == StageArea::waiters || c.to.area == StageArea::sleeping ||
                        c.to.area == StageArea::joining);
        ChipSpot d{to.centre, 1.0, moving ? 3 : 0, c.to.index, c.task, c.to.area == StageArea::done,
                   waits};
        if (!from.valid)
            d.opacity = e;  // appearing: fade in where it is
        else
            d.at = lerp(from.centre, to.centre, e);
        spots.push_back(d);
    }
    for (const view::MessageChip& m : s.messages) {
        const Place to = place(m.to, s);
        if (!to.valid) continue;
        const Place from = m.progress < 1.0 ? place(m.from, s) : to;
        if (!to.shown && !from.shown) continue;
        const double e = ease(m.progress);
        ChipSpot d{from.valid ? lerp(from.centre, to.centre, e) : to.centre,
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
        spots.push_back(d);
    }
    std::sort(spots.begin(), spots.end(), [](const ChipSpot& a, const ChipSpot& b) {
        if (a.layer != b.layer) return a.layer < b.layer;
        return a.index > b.index;
    });
    return spots;
}

std::vector<StageLayout::Overflow> StageLayout::overflows(const StageSnapshot& s) const {
    const QSizeF chip = this->chip();
    std::vector<Overflow> out;
    auto add = [&](const Row& row, std::size_t count) {
        const std::size_t cap = row_capacity(row, chip);
        if (count > cap)
            out.push_back({row_place(row, cap - 1, count, chip).centre, count - cap + 1});
    };
    for (const WorkerBox& b : cores)
        if (b.has_queues() && b.id < s.workers.size()) add(b.queue, s.workers[b.id].local.size());
    for (const WorkerBox& b : rayon)
        if (b.id < s.workers.size()) add(b.queue, s.workers[b.id].local.size());
    for (const Injector& inj : injectors)
        add(inj.panel.row, s.injector(inj.pool).size());
    if (global.shown) add(global.row, s.global.size());
    if (pool.shown) add(pool.row, s.blocking_queue.size());
    for (const ChannelRow& c : channels)
        if (const view::StageChannel* sc = s.channel(c.id)) {
            add(c.senders, sc->senders.size());
            add(c.receivers, sc->receivers.size());
        }
    for (const ResourceRow& r : resources)
        if (const view::StageResource* sr = s.resource(r.id)) add(r.waiters, sr->waiters.size());
    if (sleeping.shown) add(sleeping.row, s.sleeping.size());
    if (joining.shown) add(joining.row, s.joining.size());
    if (idle.shown) add(idle.row, s.idle.size());
    return out;
}

}  // namespace spindle::render
