#pragma once
// StageView: the widget showing the Stage — the scheduler at the playhead time —
// painted by render::StagePainter (workers, queues, channels, waiters; chips
// gliding between places while playing).
//
// State: the shown run (shared, read-only), the StageIndex built from it once per
// set_model() / refresh() and the renderer over that index; the time shown, the
// StageTween that says how long moves take (view/stage_tween.h: a glide while
// playing, settling within StageTween::kSettleMs after a pause, none after a jump)
// with the wall clock and the frame timer it is read with while settling, and the
// snapshot cut for that time and animation (recomputed when either changes, so
// painting never queries the index). Whenever the playhead rests, the snapshot is
// at(t, 0): exactly what export_stage_png draws. The stage is laid out for the
// widget's width and scaled down when it needs more height than the widget has.
// GUI thread only.

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>

#include "run_model.h"
#include "stage_model.h"
#include "stage_tween.h"

namespace spindle::render {
class StagePainter;
}  // namespace spindle::render

namespace spindle::ui {

class StageView final : public QWidget {
    Q_OBJECT
public:
    explicit StageView(QWidget* parent = nullptr);
    ~StageView() override;

    /// Shows `model` (null: an empty view with a hint). `title` names the run when
    /// its configuration does not (a replayed trace).
    void set_model(std::shared_ptr<const view::RunModel> model, const QString& title = {});
    const view::RunModel* model() const { return m_model.get(); }
    /// What an empty view says (e.g. which run is on its way); empty: the default hint.
    void set_placeholder(const QString& text);
    QString placeholder() const;
    /// The time shown (ns).
    view::Time time() const { return m_time; }
    /// How long, in virtual ns, a chip takes to move to a new place while playing
    /// (at least 1). Speed × ~250 ms of wall time gives a glide the eye can follow.
    void set_animation(view::Time animation);
    /// Repaints with gui_theme() (after set_gui_theme).
    void apply_theme() { refresh(); }
    /// The hover text for a task's chip at the current time ("" if it is not on the stage).
    QString describe(TaskId task) const;
    view::Time animation() const { return m_tween.glide(); }
    /// Whether chips are still finishing their moves after playing stopped.
    bool settling() const;
    /// The snapshot being shown.
    const view::StageSnapshot& snapshot() const { return m_snapshot; }

    /// The narrowest width at which the stage is painted at its own size; narrower,
    /// it is scaled down (and its text with it).
    static int full_scale_width();
    /// The scale the stage is painted at now (1: its own size; 1 while nothing is shown).
    double scale() const;
    /// The smallest text on the stage as painted now, in pixels.
    double smallest_text_px() const;

    QSize sizeHint() const override { return {900, 520}; }
    QSize minimumSizeHint() const override { return {320, 160}; }

public Q_SLOTS:
    /// Shows the stage at `t` (ns); any time, forwards or backwards.
    void setTime(qint64 t);
    /// Rebuilds the index after the shown model grew (a live run).
    void refresh();
    /// Playing started (chips glide) or stopped (they settle where they are going).
    void set_playing(bool playing);

Q_SIGNALS:
    /// The user clicked a task's chip (0: the background).
    void task_clicked(TaskId task);

protected:
    void paintEvent(QPaintEvent* event) override;
    /// Keeps the widget as tall as the stage laid out for its width, so a scroll
    /// area around it scrolls instead of the picture shrinking to fit.
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    void fit_height();
    void recompute();

    std::shared_ptr<const view::RunModel> m_model;
    std::unique_ptr<view::StageIndex> m_index;         ///< null while no model
    std::unique_ptr<render::StagePainter> m_renderer;  ///< null while no model
    QString m_title;
    QString m_placeholder;  ///< empty: the default hint
    view::Time m_time = 0;
    view::StageTween m_tween;
    QElapsedTimer m_clock;  ///< wall time for m_tween, started with the widget
    QTimer m_settle;        ///< repaints while settling
    view::StageSnapshot m_snapshot;
};

}  // namespace spindle::ui
