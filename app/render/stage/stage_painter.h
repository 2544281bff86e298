#pragma once
// StagePainter: paints a StageSnapshot — the scheduler at one instant — on the
// StageLayout computed for the width it is drawn at: the title line with the
// time; the worker boxes, queues and pool; each channel's row with its slots and
// waiters; the other resources with theirs; the panels off the workers; the task
// and message chips, moved between their places with an ease-in-out of their
// progress; overflow badges; the legend.
//
// State: the fonts, the chip width, each task's display name shortened to a chip
// (view::short_label, as the timeline's slices), and the layout for the last
// width asked (a cache: paint() is const). The StageIndex (and its RunModel) and
// the Theme are borrowed and must outlive the painter. Needs a QGuiApplication
// (fonts); one thread at a time. Used by the Stage view and by
// export_stage_png (export.h).

#include <QPainter>
#include <QRectF>
#include <QString>

#include <cstdint>
#include <vector>

#include "stage/stage_layout.h"
#include "stage_model.h"
#include "theme.h"

namespace spindle::render {

class StagePainter {
public:
    explicit StagePainter(const view::StageIndex& index, const Theme& theme = Theme::light());

    /// The title's name (default: the scenario label from the run's configuration).
    void set_title(const QString& name) { m_title = name; }
    /// "worker_pool" or the name set.
    QString title_name() const;

    /// The stage laid out `width` wide (kept until another width is asked).
    const StageLayout& layout(double width) const;
    /// The height the stage needs when drawn `width` wide.
    double height_for_width(double width) const;
    /// Paints `s` into `rect`: laid out for its width, scaled down when the stage
    /// needs more height than `rect` has.
    void paint(QPainter& p, const view::StageSnapshot& s, const QRectF& rect) const;
    /// The scale paint() draws at in `rect` (1: the stage's own size).
    double scale(const QRectF& rect) const {
        double width = 0;
        return scale_for(rect, &width);
    }
    /// The task whose chip is under `pos` (in `rect`, as painted), or 0.
    TaskId task_at(const view::StageSnapshot& s, const QRectF& rect, const QPointF& pos) const;
    /// A task's name as its chip shows it: whole when it fits, else shortened by
    /// view::short_label ("trans…b->a").
    const QString& chip_name(TaskId task) const;
    /// The width of every task chip (StageLayout::chip_width_for).
    double chip_width() const { return m_chip_width; }

private:
    using WorkerBox = StageLayout::WorkerBox;
    using ChannelRow = StageLayout::ChannelRow;
    using ResourceRow = StageLayout::ResourceRow;
    using Panel = StageLayout::Panel;
    enum class ChipStyle : std::uint8_t { solid, ghost, done };

    /// The layout width and the scale that fit the stage into `rect`.
    double scale_for(const QRectF& rect, double* width) const;

    void paint_title(QPainter& p, const view::StageSnapshot& s, double width) const;
    void paint_workers(QPainter& p, const StageLayout& l, const view::StageSnapshot& s) const;
    void paint_channels(QPainter& p, const StageLayout& l, const view::StageSnapshot& s) const;
    /// A lock row's holders at the instant, as tags in their colours, and the mode.
    void paint_holders(QPainter& p, const StageLayout::ResourceRow& row,
                       const view::ResourceTrack& r, const view::StageResource& sr) const;
    void paint_resources(QPainter& p, const StageLayout& l, const view::StageSnapshot& s) const;
    void paint_panels(QPainter& p, const StageLayout& l, const view::StageSnapshot& s) const;
    void paint_chips(QPainter& p, const StageLayout& l, const view::StageSnapshot& s) const;
    void paint_overflows(QPainter& p, const StageLayout& l, const view::StageSnapshot& s) const;
    void paint_legend(QPainter& p, const StageLayout& l) const;
    void paint_box(QPainter& p, const QRectF& box, bool faded = false) const;
    void paint_empty_slot(QPainter& p, const QRectF& r) const;
    void paint_task_chip(QPainter& p, const QPointF& centre, TaskId task, double opacity,
                         ChipStyle style = ChipStyle::solid) const;
    void paint_message_chip(QPainter& p, const QPointF& centre, TaskId sender,
                            double opacity) const;
    /// The badge on a chip waiting in a select: how many branches it races.
    void paint_select_badge(QPainter& p, const QPointF& centre, std::size_t branches) const;

    const view::StageIndex& m_index;
    const view::RunModel& m_model;
    const Theme& m_theme;
    QString m_title;
    StageFonts m_fonts;
    double m_chip_width;                ///< every layout's chip width
    std::vector<QString> m_chip_names;  ///< index = task id - 1, shortened to a chip
    QString m_no_name;
    mutable StageLayout m_layout;
};

}  // namespace spindle::render
