#pragma once
// TimelineView: the interactive widget around render::TimelineRenderer.
//
// State: the shown run (shared, read-only) and a renderer borrowing it; the
// TimeAxis of the visible range; the vertical scroll offset (the ruler stays
// fixed at the top, lanes scroll under it); the playhead; the selection (one
// task or one resource); a measured range (shift-drag) and the drag in progress.
// Painting and hit-testing are the renderer's; this widget only maps input to
// axis changes and signals. GUI thread only.
//
// Input: wheel zooms around the cursor (over the labels, or with Shift, it
// scrolls vertically); +/- zoom, F fits, Left/Right step the playhead (signal);
// drag pans; click selects what is under the cursor (or toggles a section
// header); shift-drag measures a range; a click or drag in the ruler moves the
// playhead.

#include <QPointF>
#include <QWidget>

#include <memory>
#include <optional>

#include "outcome.h"
#include "run_model.h"
#include "time_axis.h"

class QScrollBar;

namespace spindle::render {
class TimelineRenderer;
struct RenderOptions;
}  // namespace spindle::render

namespace spindle::ui {

class TimelineView final : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    /// Shows `model` (null, or a run without events: the placeholder); keeps the zoom when
    /// `keep_view` and the new run overlaps it, else fits the whole run. `status`: how
    /// the run ended as its session reported it (the title's word; unset: from the run).
    void set_model(std::shared_ptr<const view::RunModel> model, const QString& title = {},
                   const QString& note = {}, bool keep_view = false,
                   std::optional<session::RunStatus> status = {});
    const view::RunModel* model() const { return m_model.get(); }
    /// What the view says when there is nothing to draw (no run, or a run without
    /// events); empty: a hint on how to open a file.
    void set_placeholder(const QString& text);
    const QString& placeholder() const { return m_placeholder; }
    const render::TimelineRenderer* renderer() const { return m_renderer.get(); }

    const view::TimeAxis& axis() const { return m_axis; }
    /// The visible time range.
    view::Time visible_start() const { return m_axis.start(); }
    view::Time visible_end() const { return m_axis.end(); }
    /// Shows [start, end) exactly.
    void set_visible_range(view::Time start, view::Time end);

    TaskId selected_task() const { return m_selected_task; }
    ResourceId selected_resource() const { return m_selected_resource; }
    std::optional<std::pair<view::Time, view::Time>> measured_range() const { return m_measure; }

    /// A dashed vertical mark at `t` labelled `label` (the compare view's first
    /// divergence); nothing: none.
    void set_marker(std::optional<view::Time> t, const QString& label = {});
    std::optional<view::Time> marker() const { return m_marker; }

    bool wake_arrows() const;
    bool tasks_collapsed() const;

    QSize sizeHint() const override { return {900, 500}; }
    QSize minimumSizeHint() const override { return {300, 120}; }

public Q_SLOTS:
    void fit();
    void zoom_in();
    void zoom_out();
    /// Moves the playhead line (no signal); while `follow` is on, the view pages
    /// along to keep it visible.
    void set_playhead(qint64 t);
    void set_follow_playhead(bool follow) { m_follow = follow; }
    /// Highlights a task (0: none) or a resource (0: none); no signal. Scrolls its
    /// lane into view when `reveal`.
    void set_selection(TaskId task, ResourceId resource, bool reveal = true);
    /// Scrolls the lane of worker `w` into view.
    void reveal_worker(WorkerId w);
    void set_wake_arrows(bool on);
    void set_tasks_collapsed(bool collapsed);
    /// Repaints with gui_theme() (after set_gui_theme), keeping the view as it is.
    void apply_theme();
    void clear_measure();

Q_SIGNALS:
    /// The user clicked a task, a resource, or nothing (both 0).
    void selection_changed(TaskId task, ResourceId resource);
    /// A task was clicked at time `t` (after selection_changed): the Explain dock
    /// explains the wait under the click.
    void task_clicked(TaskId task, qint64 t);
    /// A click or drag in the ruler, or Left/Right (previous / next event).
    void playhead_requested(qint64 t);
    void step_requested(int direction);
    /// The visible range changed (zoom, pan, fit).
    void view_changed(qint64 start, qint64 end);
    /// A shift-drag measured [start, end).
    void range_measured(qint64 start, qint64 end);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    enum class Drag { none, pan, measure, scrub };

    double time_area_width() const;
    double label_width() const;
    double header_height() const;
    /// Converts a widget point to the renderer's content coordinates.
    QPointF to_content(const QPointF& p) const;
    bool in_ruler(const QPointF& p) const;
    void apply_options(const render::RenderOptions& o);
    void update_scrollbar();
    void set_scroll(double y);
    void reveal_lane(int lane);
    void changed_view();
    void click(const QPointF& p);
    /// The task under `pos` (none: the mouse left) becomes the renderer's hovered task.
    void hover_task(std::optional<QPointF> pos);
    void paint_empty(QPainter& p);
    void paint_measure(QPainter& p);
    void paint_marker(QPainter& p);

    std::shared_ptr<const view::RunModel> m_model;
    std::unique_ptr<render::TimelineRenderer> m_renderer;  ///< null while nothing to draw
    QString m_placeholder;
    QString m_title;  ///< as given to set_model, for a renderer rebuilt on a theme change
    QString m_note;
    std::optional<session::RunStatus> m_status;  ///< as given to set_model, likewise
    view::TimeAxis m_axis;
    QScrollBar* m_vscroll = nullptr;
    double m_scroll = 0;  ///< content pixels scrolled off above the lanes
    std::optional<view::Time> m_playhead;
    bool m_follow = false;
    TaskId m_selected_task = 0;
    ResourceId m_selected_resource = 0;
    std::optional<std::pair<view::Time, view::Time>> m_measure;
    std::optional<view::Time> m_marker;
    QString m_marker_label;
    Drag m_drag = Drag::none;
    QPointF m_press_pos;
    QPointF m_last_pos;
    view::Time m_measure_anchor = 0;
    bool m_moved = false;  ///< the press turned into a drag
};

}  // namespace spindle::ui
