#pragma once
// StageRenderer: paints a StageSnapshot — the scheduler at one instant — as a
// diagram: a title line with the time; the workers as boxes in a row (the task
// being polled, the LIFO slot, the local queue) with the global queue beside
// them; the blocking threads and the pool's queue; each channel as a row of
// capacity slots with its waiting senders on the left and receivers on the
// right; the other resources with their waiters; then sleepers (with their wake
// times), tasks waiting on other tasks, idle tasks and the finished ones.
// Chips are placed by mapping the snapshot's abstract slots to pixels and moved
// between their from/to places with an ease-in-out of their progress.
//
// State: the layout for the last width asked (mutable cache: paint() is const),
// the fonts, and each task's display name elided to a chip. The StageIndex (and
// its RunModel) is borrowed and must outlive the renderer. The layout depends on
// the model and the width only, never on the time, so nothing jumps while the
// time moves. Needs a QGuiApplication (fonts); one thread at a time.

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <vector>

#include "export.h"
#include "stage_model.h"
#include "theme.h"

namespace spindle::render {

class StageRenderer {
public:
    explicit StageRenderer(const view::StageIndex& index, const Theme& theme = Theme::light());

    /// The title's name (default: the scenario label from the run's configuration).
    void set_title(const QString& name) { m_title = name; }
    /// "worker_pool" or the name set.
    QString title_name() const;

    /// The height the stage needs when drawn `width` wide.
    double height_for_width(double width) const;
    /// Paints `s` into `rect`: laid out for its width, scaled down when the stage
    /// needs more height than `rect` has.
    void paint(QPainter& p, const view::StageSnapshot& s, const QRectF& rect) const;
    /// The task whose chip is under `pos` (in `rect`, as painted), or 0.
    TaskId task_at(const view::StageSnapshot& s, const QRectF& rect, const QPointF& pos) const;
    /// The centre of `slot` when laid out `width` wide (stage coordinates).
    QPointF slot_centre(const view::StageSlot& slot, const view::StageSnapshot& s,
                        double width) const;

    /// Below this width the stage is laid out at it and scaled down, so captions never collide.
    static constexpr double kMinLayoutWidth = 720;
    static constexpr double kChipWidth = 80;
    static constexpr double kChipHeight = 22;
    static constexpr double kMessageSize = 14;

private:
    /// A row or grid of chip places inside `rect`.
    struct Row {
        QRectF rect;
        bool grid = false;                 ///< fills cells left to right, then down
        bool from_right = false;           ///< index 0 at the right end (rows only)
        double cell_width = kChipWidth;    ///< grids: chip plus room for a caption
        double cell_height = kChipHeight;  ///< grids: chip plus caption
    };
    enum class ChipStyle : std::uint8_t { solid, ghost, done };
    struct WorkerBox {
        WorkerId id = 0;
        QRectF box;
        QRectF run;   ///< the polled task's chip place
        QRectF lifo;  ///< core: the LIFO slot
        Row queue;    ///< core: the local queue
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
        Row waiters;
    };
    struct Panel {
        QString title;
        QRectF box;
        Row row;
        bool shown = false;
    };
    struct Layout {
        double width = -1;
        double height = 0;
        std::vector<WorkerBox> cores;
        std::vector<WorkerBox> lanes;
        std::vector<int> worker_box;  ///< worker id -> index in cores or lanes (-1)
        Panel global;
        Panel pool;
        std::vector<ChannelRow> channels;
        std::vector<ResourceRow> resources;
        std::vector<int> channel_row;   ///< resource id -> index in channels (-1)
        std::vector<int> resource_row;  ///< resource id -> index in resources (-1)
        double channel_header = 0;      ///< y of the channels' column captions
        Panel sleeping, joining, idle, done;
        double legend = 0;                                 ///< y of the legend line
        std::vector<std::pair<double, QString>> sections;  ///< y, caption
    };
    /// Where a chip goes: the centre, and whether the place is shown (not overflowed).
    struct Place {
        QPointF centre;
        bool shown = true;
        bool valid = true;
    };

    const Layout& layout(double width) const;
    void build(Layout& l, double width) const;
    Place place(const Layout& l, const view::StageSlot& slot, const view::StageSnapshot& s) const;
    static Place row_place(const Row& row, std::size_t index, std::size_t count, QSizeF item);
    static std::size_t row_capacity(const Row& row, QSizeF item);
    double scale_for(const QRectF& rect, double* width) const;

    void paint_title(QPainter& p, const view::StageSnapshot& s, double width) const;
    void paint_workers(QPainter& p, const Layout& l, const view::StageSnapshot& s) const;
    void paint_channels(QPainter& p, const Layout& l, const view::StageSnapshot& s) const;
    void paint_resources(QPainter& p, const Layout& l, const view::StageSnapshot& s) const;
    void paint_panels(QPainter& p, const Layout& l, const view::StageSnapshot& s) const;
    void paint_chips(QPainter& p, const Layout& l, const view::StageSnapshot& s) const;
    void paint_overflows(QPainter& p, const Layout& l, const view::StageSnapshot& s) const;
    void paint_legend(QPainter& p, const Layout& l) const;
    void paint_box(QPainter& p, const QRectF& box, bool faded = false) const;
    void paint_empty_slot(QPainter& p, const QRectF& r) const;
    void paint_task_chip(QPainter& p, const QPointF& centre, TaskId task, double opacity,
                         ChipStyle style = ChipStyle::solid) const;
    void paint_message_chip(QPainter& p, const QPointF& centre, TaskId sender,
                            double opacity) const;
    void paint_overflow(QPainter& p, const Row& row, std::size_t count, QSizeF item) const;
    /// The badge on a chip waiting in a select: how many branches it races.
    void paint_select_badge(QPainter& p, const QPointF& centre, std::size_t branches) const;
    const QString& chip_name(TaskId task) const;

    const view::StageIndex& m_index;
    const view::RunModel& m_model;
    const Theme& m_theme;
    QString m_title;
    QFont m_font;
    QFont m_bold;
    QFont m_small;
    QFont m_small_bold;
    QFont m_chip_font;
    QFont m_title_font;
    QFont m_title_plain;
    QFont m_caption;
    std::vector<QString> m_chip_names;  ///< index = task id - 1, elided to a chip
    QString m_no_name;
    mutable Layout m_layout;
};

/// Writes the stage of `model` at `at` to `path` as a PNG (through a QSaveFile:
/// no partial file on failure). `width` in logical pixels; the height is what
/// the stage needs. A still: chips are drawn where they arrived, not mid-move.
ExportResult export_stage_png(const view::RunModel& model, view::Time at, int width,
                              double pixel_ratio, const QString& path, const QString& title = {},
                              const Theme& theme = Theme::light());

}  // namespace spindle::render
