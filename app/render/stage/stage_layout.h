#pragma once
// StageLayout: where everything on the Stage goes at one width — the section
// captions; the worker boxes (the polled task's place and, under work-stealing
// only, the LIFO slot and the local queue) with the global queue beside them (or,
// under the policies with no queues per thread, under them as one wide row); the
// blocking threads and the pool's queue; a row per channel (waiting senders, the
// buffer's slots, the count, waiting receivers) under its column captions; a row
// per other resource; the panels off the workers (sleeping, waiting on a task,
// idle, done) and the legend line. For a snapshot, place() maps a chip's abstract
// slot to its centre.
//
// Invariants: a plain value in stage coordinates (x in [0, width], y in [0,
// height]), computed from the StageIndex (the run's policy, which areas are used,
// how full they get, the task names), the fonts' metrics and the width only,
// never from the time, so nothing jumps while the time moves. A chip's place lies
// inside its box or row; a row that runs out of room overlaps its chips, then
// stops showing them (`shown`).
// Needs a QGuiApplication (font metrics). Built by StageLayout::build, drawn by
// StagePainter (stage_painter.h); anyone may read one.

#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "stage_model.h"
#include "theme.h"

namespace spindle::render {

/// The stage's measures, in logical pixels.
namespace stage {
/// Below this width the stage is laid out at it and scaled down, so captions never collide.
constexpr double kMinLayoutWidth = 720;
constexpr double kChipWidth = 80;      ///< the narrowest a task chip gets
constexpr double kMaxChipWidth = 124;  ///< chips widen to their longest name up to this
constexpr double kChipPadding = 10;    ///< a chip's width beyond its text
constexpr double kChipHeight = 22;
constexpr double kMessageSize = 14;
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
constexpr double kHolders = 250;  ///< a lock row's holders, between its label and waiters
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

/// Smooth start and stop (cubic ease-in-out) of a linear progress.
inline double ease(double x) {
    x = std::clamp(x, 0.0, 1.0);
    return x < 0.5 ? 4 * x * x * x : 1 - std::pow(-2 * x + 2, 3) / 2;
}
inline QPointF lerp(const QPointF& a, const QPointF& b, double t) {
    return a + (b - a) * t;
}
/// The rectangle of `size` centred on `c`.
inline QRectF centred(const QPointF& c, QSizeF size) {
    return QRectF(c.x() - size.width() / 2, c.y() - size.height() / 2, size.width(), size.height());
}
}  // namespace stage

/// Whether threads have a LIFO slot and a local queue of their own under `policy`
/// (work-stealing); otherwise every task queues in the one global queue.
bool has_thread_queues(Policy policy);

/// The stage's fonts, sized from a theme (the layout measures its captions with them).
struct StageFonts {
    explicit StageFonts(const Theme& theme);
    QFont bold;
    QFont small_font;
    QFont small_bold;  ///< section captions, badges
    QFont chip;
    QFont title;
    QFont title_plain;
    QFont caption;  ///< under chips, the legend
};

struct StageLayout {
    /// A row or grid of chip places inside `rect`.
    struct Row {
        QRectF rect;
        bool grid = false;                        ///< fills cells left to right, then down
        bool from_right = false;                  ///< index 0 at the right end (rows only)
        double cell_width = stage::kChipWidth;    ///< grids: chip plus room for a caption
        double cell_height = stage::kChipHeight;  ///< grids: chip plus caption
    };
    struct WorkerBox {
        WorkerId id = 0;
        QRectF box;
        QRectF run;   ///< the polled task's chip place
        QRectF lifo;  ///< core under work-stealing: the LIFO slot (else null)
        /// Core under work-stealing: the local queue; a Rayon thread: its deque (else a
        /// null rect).
        Row queue;
        /// Whether the thread has a queue of its own (a local queue or a deque).
        bool has_queues() const { return !queue.rect.isNull(); }
    };
    struct ChannelRow {
        ResourceId id = 0;
        QRectF row;
        QRectF label;
        Row senders;
        QRectF buffer;  ///< the slots' band
        Row receivers;
        QRectF count;
        int slot_count = 0;  ///< slot boxes that fit the band
    };
    struct ResourceRow {
        ResourceId id = 0;
        QRectF row;
        QRectF label;
        QRectF holders;  ///< who holds it at the instant (tags: a holder also has its chip)
        Row waiters;
    };
    struct Panel {
        QString title;
        QRectF box;
        Row row;
        bool shown = false;
    };
    struct Caption {
        QRectF rect;
        QString text;
    };
    /// Where a chip goes: the centre, and whether the place is shown (not overflowed).
    struct Place {
        QPointF centre;
        bool shown = true;
        bool valid = true;
    };
    /// An entry of the legend line: a sample, then its caption.
    struct LegendEntry {
        enum class Sample : std::uint8_t {
            task,
            message,
            finished,
            full_buffer,
            empty_slot,
            select,
            note  ///< a caption alone (what a Rayon deque's ends mean)
        };
        Sample sample = Sample::task;
        QRectF box;      ///< the sample's rounded box (task, finished, full_buffer, empty_slot)
        QPointF centre;  ///< the sample's centre (message, select)
        Caption caption;
    };
    /// A worker's box: in `cores`, `lanes` (blocking and OS threads) or `rayon`.
    struct BoxRef {
        enum class Group : std::uint8_t { cores, lanes, rayon };
        int index = -1;  ///< -1: no box
        Group group = Group::cores;
    };
    /// A Rayon pool's injector queue (jobs sent in from outside the pool).
    struct Injector {
        ResourceId pool = 0;
        Panel panel;
    };

    double width = -1;  ///< -1: not built
    double height = 0;
    /// Every task chip's width: room for the longest name (chip_width_for).
    double chip_width = stage::kChipWidth;
    std::vector<Caption> sections;  ///< "WORKER THREADS", ...
    std::vector<WorkerBox> cores;
    std::vector<WorkerBox> lanes;
    std::vector<WorkerBox> rayon;     ///< Rayon threads, pool by pool
    std::vector<Injector> injectors;  ///< one per Rayon pool, in pool order
    std::vector<BoxRef> worker_box;   ///< by worker id
    Panel global;
    Panel pool;
    std::vector<ChannelRow> channels;
    /// The channels' column captions (empty without channels); the buffer's is to be
    /// elided to its rectangle, which is negative-width when the band has no room.
    Caption send_caption, buffer_caption, receive_caption;
    std::vector<ResourceRow> resources;
    std::vector<int> channel_row;   ///< resource id -> index in channels (-1)
    std::vector<int> resource_row;  ///< resource id -> index in resources (-1)
    Panel sleeping, joining, idle, done;
    double legend_top = 0;  ///< y of the legend line
    std::vector<LegendEntry> legend;

    /// The stage of `index`'s run laid out `width` wide, its chips `chip_width` wide
    /// (< 0: chip_width_for(index, fonts)).
    static StageLayout build(const view::StageIndex& index, const StageFonts& fonts, double width,
                             double chip_width = -1);
    /// The chip width the run's names need: the widest name in the chip font plus
    /// padding, within [kChipWidth, kMaxChipWidth]. Longer names are shortened.
    static double chip_width_for(const view::StageIndex& index, const StageFonts& fonts);
    /// A task's name as chips show it ("#id" when it has none).
    static QString chip_text(const view::TaskInfo& task);
    /// A chip's size in this layout.
    QSizeF chip() const { return {chip_width, stage::kChipHeight}; }

    /// The box of worker `id`, or null.
    const WorkerBox* worker(WorkerId id) const;
    /// The row of channel `id`, or null.
    const ChannelRow* channel(ResourceId id) const;
    /// The row of resource `id` (not a channel), or null.
    const ResourceRow* resource(ResourceId id) const;

    /// Where a chip in `slot` goes in snapshot `s` (invalid: nowhere on this stage).
    Place place(const view::StageSlot& slot, const view::StageSnapshot& s) const;
    /// The task whose chip is under `pos` (stage coordinates) in `s`, or 0.
    TaskId task_at(const view::StageSnapshot& s, const QPointF& pos) const;

    /// A chip as drawn at an instant: eased between its places, faded in or out.
    struct ChipSpot {
        QPointF at;
        double opacity = 1.0;
        int layer = 0;  ///< 0 still task, 1 still message, 2 moving message, 3 moving task
        std::uint32_t index = 0;
        TaskId task = 0;  ///< the task, or the message's sender
        bool done = false;
        bool waits = false;  ///< at rest where tasks wait (a select shows a badge there)
        bool message() const { return layer == 1 || layer == 2; }
    };
    /// The chips of `s` that show, in drawing order: still chips (tasks, then
    /// messages) under moving ones (messages, then tasks), the front of a row on top.
    std::vector<ChipSpot> chips(const view::StageSnapshot& s) const;

    /// A row holding more chips than it has places: a badge on its last place shown.
    struct Overflow {
        QPointF last;        ///< the centre of the last place shown
        std::size_t hidden;  ///< the chips stacked there ("+hidden")
    };
    /// The rows that overflow in `s`, in drawing order.
    std::vector<Overflow> overflows(const view::StageSnapshot& s) const;

    /// How many places of `item` size `row` shows.
    static std::size_t row_capacity(const Row& row, QSizeF item);
    /// Place `index` of `count` in `row`: grids fill cells, rows spread their chips
    /// and overlap them down to kMinStep.
    static Place row_place(const Row& row, std::size_t index, std::size_t count, QSizeF item);
    /// The caption under chip `index` of `count` in a panel's row (a wake time, the
    /// awaited task), as wide as its cell; none when that chip is not shown.
    static std::optional<QRectF> caption_under(const Row& row, std::size_t index,
                                               std::size_t count);
};

}  // namespace spindle::render
