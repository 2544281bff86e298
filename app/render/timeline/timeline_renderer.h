#pragma once
// TimelineRenderer: lays out and paints a whole run's timeline — an optional
// title line, the time ruler, a label column, then the lanes (workers, blocking
// threads, tasks (collapsible) each followed by the channels it created for a
// request, locks and signals, channels, one row for the idle ones — view::LanePlan)
// with optional wake arrows (placed by view::plan_wake_lines), a deadlock's stuck
// waits and cycle (DeadlockOverlay), a playhead and a selection highlight; an optional
// legend at the bottom (wrapping onto more rows when narrow). Used by the GUI widget and by
// export_timeline alike, so what is exported is what is seen.
//
// State: the lane list and row layout (rebuilt by rebuild() / set_options()),
// display names cached as QString (so painting never converts per event), the
// options, the title, and the statistics of the last paint (mutable: paint() is
// const). The lanes keep level-of-detail indexes over what they paint (built at
// the first paint, about a byte per event, extended as the model grows; see
// view/block_max.h), so a frame costs about the same at 1M events as at 10M.
// The RunModel and the Theme are borrowed and must outlive the renderer;
// after the model grew (a live run) call rebuild(). Needs a QGuiApplication
// (fonts). One thread at a time: the GUI thread, or the thread exporting.
//
// Coordinates: (0, 0) is the top-left of the whole timeline; the label column is
// x < label_width(); the axis passed to paint/hit-test maps times onto the area
// right of it (axis.width() == total width - label_width()).

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "critical_path.h"
#include "lane/lane.h"
#include "legend_flow.h"
#include "outcome.h"
#include "run_model.h"
#include "theme.h"
#include "time_axis.h"
#include "timeline/deadlock_overlay.h"
#include "timeline/legend_entry.h"
#include "wake_lines.h"

namespace spindle::render {

/// What the timeline shows.
struct RenderOptions {
    bool title = true;             ///< scenario, seed, workers, policy, outcome
    bool ruler = true;             ///< the time ruler at the top
    bool labels = true;            ///< lane names in a column on the left
    bool legend = false;           ///< what the colours mean, at the bottom
    bool tasks = true;             ///< the task section at all
    bool tasks_collapsed = false;  ///< the task section shows only its header row
    bool channels = true;          ///< the channel section
    bool locks = true;             ///< the lock and signal section (mutex, rwlock, ...)
    bool wake_arrows = false;      ///< from the waking poll to the woken task's next poll
    /// The task under the mouse: when wake arrows are dense (view::plan_wake_lines),
    /// its arrows and the selected task's are the ones drawn (0: none).
    TaskId hovered_task = 0;
    std::optional<view::Time> playhead;
    TaskId selected_task = 0;          ///< highlighted everywhere (0: none)
    ResourceId selected_resource = 0;  ///< highlighted everywhere (0: none)
    /// The task whose critical path is drawn over the task lanes (0: none).
    TaskId critical_path_task = 0;
};

class TimelineRenderer {
public:
    enum class Section : std::uint8_t { workers, blocking, threads, rayon, tasks, channels, locks };

    explicit TimelineRenderer(const view::RunModel& model, const Theme& theme = Theme::light());

    /// Rebuilds lanes and layout from the model (call after the model grew).
    void rebuild();
    /// Changes what is shown; lays out again.
    void set_options(const RenderOptions& options);
    const RenderOptions& options() const { return m_options; }
    /// The title line's name (default: the run's scenario label) and an optional
    /// second line: a description, or an error (`alert`: drawn in the alert colour).
    void set_title(const QString& name, const QString& note = {}, bool alert = false);
    /// How the run ended, as its session reported it. Unset: from the run's own
    /// outcome event, which cannot tell a cancelled run from one over budget.
    void set_status(std::optional<session::RunStatus> status) { m_status = status; }

    const view::RunModel& model() const { return m_model; }
    const Theme& theme() const { return m_theme; }
    const QFont& font() const { return m_font; }

    // ---- Geometry -------------------------------------------------------------
    /// Width of the label column (0 when labels are off).
    double label_width() const { return m_options.labels ? m_label_width : 0.0; }
    /// Height of the title and ruler above the lanes.
    double header_height() const { return m_header_height; }
    /// Height of everything: header, lanes, legend (one legend row).
    double content_height() const { return m_content_height; }
    /// Height of everything when the timeline is `width` wide: the legend wraps onto
    /// as many rows as its entries need at that width.
    double content_height(double width) const;
    /// Height of the legend at `width` (0 when it is off).
    double legend_height(double width) const;
    /// An axis showing [start, end) when the whole timeline is `total_width` wide.
    view::TimeAxis make_axis(view::Time start, view::Time end, double total_width) const;
    /// All lanes, in display order (a collapsed section keeps its lanes here).
    const std::vector<std::unique_ptr<Lane>>& lanes() const { return m_lanes; }
    /// The lane at height `y`, as an index into lanes(); -1 for none (header rows too).
    int lane_at(double y) const;
    /// The section whose header row is at height `y`, if any (click to collapse).
    std::optional<Section> section_at(double y) const;
    /// The time area of a lane (empty when the lane is not laid out).
    QRectF lane_rect(const view::TimeAxis& axis, int lane) const;
    /// The index in lanes() of the worker lane showing `worker`, or -1.
    int worker_lane(WorkerId worker) const;
    /// How much time a view of the whole run shows after its end: a little, or room
    /// for the stuck waits and the cycle of a deadlock.
    view::Time room_after_end() const;
    /// The deadlock the timeline draws (empty unless the run ended in one).
    const view::DeadlockView& deadlock() const { return m_deadlock.view(); }

    // ---- Painting and hit-testing ---------------------------------------------
    /// Paints the timeline; rows outside `clip` (when not null) are skipped.
    void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& clip = QRectF()) const;
    /// What is under `pos`, for a tooltip (an empty Hit over nothing).
    Hit hit_test(const view::TimeAxis& axis, const QPointF& pos) const;
    /// The title line as text ("worker_pool — seed 1 · 4 workers · ...").
    QString title_text() const;
    /// The wake arrows paint() draws over `axis` when wake_arrows is on: between task
    /// lanes (or worker lanes while the tasks are hidden), y in timeline coordinates,
    /// x in the time area's (add label_width()).
    view::WakePlan wake_plan(const view::TimeAxis& axis) const;

    /// The critical path drawn for options().critical_path_task (empty: none).
    const std::vector<view::PathSegment>& critical_path() const { return m_path; }

    /// Slice / span rectangles filled by the last paint (level-of-detail check).
    std::size_t blocks_drawn() const { return m_blocks_drawn; }
    /// Whether lanes jump over what merges below a pixel with their indexes (the
    /// default), or walk every item in view: the straightforward path, kept as the
    /// reference that tests and the benchmark compare with. The pictures are the same.
    void set_indexed(bool indexed) { m_indexed = indexed; }
    /// Heap bytes the lanes' level-of-detail indexes hold (built at the first paint).
    std::size_t index_bytes() const;

private:
    struct Row {
        double y = 0;
        double height = 0;
        int lane = -1;  ///< index into m_lanes; -1 for a section header
        Section section = Section::workers;
        int count = 0;  ///< header rows: lanes in the section
    };

    void layout();
    /// Appends a LockLane per mutex, rwlock, semaphore, notify and barrier.
    void add_lock_lanes();
    /// The section lane `lane` is shown in under the current options (none: hidden).
    std::optional<Section> shown_in(std::size_t lane) const;
    PaintContext context() const;
    const Row* row_at(double y) const;
    double lanes_bottom() const;
    QString outcome_text(QColor* colour) const;
    void paint_title(QPainter& p, double width) const;
    void paint_ruler(QPainter& p, const view::TimeAxis& axis, double y) const;
    void paint_rows(QPainter& p, const view::TimeAxis& axis, const QRectF& clip,
                    const PaintContext& ctx) const;
    void paint_labels(QPainter& p, const QRectF& clip, const PaintContext& ctx) const;
    /// Paints a deadlock's stuck waits and cycle (DeadlockOverlay) over the lanes.
    void paint_deadlock(QPainter& p, const view::TimeAxis& axis, const PaintContext& ctx) const;
    /// Paints wake_plan(axis); returns whether it was dense (drawn for a focus only).
    bool paint_wakes(QPainter& p, const view::TimeAxis& axis) const;
    void paint_playhead(QPainter& p, const view::TimeAxis& axis) const;
    void paint_path(QPainter& p, const view::TimeAxis& axis) const;
    void paint_legend(QPainter& p, double y, double width, bool wakes_dense) const;
    /// The legend's entries for what this run contains.
    std::vector<LegendEntry> legend_entries(bool wakes_dense) const;
    /// Where each entry goes at `width` (view::flow_rows).
    std::vector<view::FlowPlace> legend_places(const std::vector<LegendEntry>& entries,
                                               double width) const;

    const view::RunModel& m_model;
    const Theme& m_theme;
    RenderOptions m_options;
    QString m_title;
    QString m_note;
    bool m_note_alert = false;
    std::optional<session::RunStatus> m_status;  ///< the title's outcome word (see set_status)
    QFont m_font;
    QFont m_bold;
    QFont m_small;
    QFont m_title_font;
    QFontMetricsF m_metrics;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::vector<QString> m_task_names;           ///< index = task id - 1
    std::vector<double> m_task_name_widths;      ///< in m_font
    std::vector<std::size_t> m_task_name_tails;  ///< view::label_tails of m_task_names
    std::vector<int> m_worker_lane;              ///< worker id -> lane index (-1: none)
    std::vector<Section> m_lane_section;         ///< lane index -> its section (view::LanePlan)
    DeadlockOverlay m_deadlock;                  ///< stuck waits and the cycle of a deadlock
    std::vector<int> m_lane_row;                 ///< lane index -> row index (-1: hidden)
    std::vector<Row> m_rows;
    double m_label_width = 120;
    double m_header_height = 0;
    double m_content_height = 0;
    mutable std::size_t m_blocks_drawn = 0;
    bool m_indexed = true;
    std::vector<view::PathSegment> m_path;  ///< of m_path_task, computed in set_options
    TaskId m_path_task = 0;
};

}  // namespace spindle::render
