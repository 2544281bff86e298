#pragma once
// ChartsView: tokio-console-style charts of the visible range of a run — channel
// occupancy and worker utilisation over time, and histograms of poll durations and
// scheduling delays with their percentiles — one tab each.
//
// State and ownership: the shown run (shared, read-only), the visible range and the
// selection (a task filters the histograms and is shaded in the utilisation lanes, a
// channel filters the occupancy chart); the view::ChartData computed from them at the
// last refresh; the widgets (one QChartView and caption per tab, owned through Qt
// parenting; each QChartView owns its QChart, whose series and axes are rebuilt from
// the data). Changes are coalesced: a burst of range updates (a drag, a zoom)
// recomputes once, and only the tab on screen is rebuilt; the others follow when they
// are shown. Every chart answers a hover with readout(): on each mouse move, and on
// the tooltip event Qt sends when the mouse rests, which the view answers itself (the
// chart scene, whose items have no tooltips, would hide the readout). GUI thread only.

#include <QWidget>

#include <array>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "chart_data.h"
#include "run_model.h"

class QChart;
class QChartView;
class QLabel;
class QTabWidget;
class QTimer;

namespace spindle::ui {

class ChartsView final : public QWidget {
    Q_OBJECT
public:
    /// The tabs, in order.
    enum class Chart { occupancy = 0, utilisation, poll_duration, scheduling_delay };
    static constexpr int kCharts = 4;
    /// Channels drawn at most; past that the fullest ones are kept.
    static constexpr std::size_t kMaxChannels = 8;
    /// Utilisation buckets over the visible range.
    static constexpr int kUtilisationBuckets = 120;

    explicit ChartsView(QWidget* parent = nullptr);
    ~ChartsView() override;

    const view::RunModel* model() const { return m_model.get(); }
    view::Time range_start() const { return m_start; }
    view::Time range_end() const { return m_end; }
    TaskId selected_task() const { return m_task; }
    ResourceId selected_resource() const { return m_resource; }

    /// What the charts show (as of the last refresh).
    const view::ChartData& data() const { return m_data; }
    QTabWidget* tabs() const { return m_tabs; }
    QChartView* chart_view(Chart c) const { return m_pages[index(c)].view; }
    /// The text under a chart: percentiles under the histograms, a summary elsewhere.
    QString caption(Chart c) const;
    /// What hovering the occupancy chart at time t says: each drawn channel's
    /// buffered count there ("at 2.1 ms: jobs 4/4 · results 1/8"); "" if none drawn.
    QString occupancy_readout(view::Time t) const;
    /// What hovering chart `c` at `pos` (in its chart view's viewport) says — the
    /// occupancy readout; the lane's busy share in the bucket under the cursor; the
    /// bar's range and count of a histogram (anywhere in its column) — or "" over
    /// nothing. The tooltip shown on hover, and again when the mouse rests.
    QString readout(Chart c, const QPointF& pos) const;

    QSize sizeHint() const override { return {720, 320}; }
    QSize minimumSizeHint() const override { return {260, 160}; }

    /// Shows `model` (null: nothing); the range becomes the whole run until set_range.
    /// A plain method, as TimelineView's: the model's metatype lives in scenario_runner.h.
    void set_model(std::shared_ptr<const view::RunModel> model);

public Q_SLOTS:
    /// The range the charts cover, [start, end) in ns (the timeline's visible range); the
    /// part of it outside the run (the timeline's margins) is left out.
    void set_range(qint64 start, qint64 end);
    /// Histograms count this task's polls and wakes only, and the utilisation lanes shade
    /// its share (0: all tasks).
    void set_selected_task(TaskId task);
    /// The occupancy chart shows this channel only (0, or not a channel: all channels).
    void set_selected_resource(ResourceId resource);
    /// Both at once, as TimelineView::set_selection (one of them is usually 0).
    void set_selection(TaskId task, ResourceId resource);
    /// Recomputes and rebuilds every chart now (changes are otherwise coalesced).
    void refresh();
    /// Restyles every chart with gui_theme() (after set_gui_theme).
    void apply_theme();

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Page {
        QChartView* view = nullptr;
        QLabel* caption = nullptr;
        bool dirty = true;
    };
    static std::size_t index(Chart c) { return static_cast<std::size_t>(c); }

    void changed(bool occupancy, bool utilisation, bool histograms);
    void update_now();
    void compute();
    void rebuild(Chart c);
    void rebuild_occupancy(QChart* chart, QLabel* caption);
    void rebuild_utilisation(QChart* chart, QLabel* caption);
    void rebuild_histogram(QChart* chart, QLabel* caption, const view::LogHistogram& h,
                           bool delays);
    /// [start, end) clipped to the run (kept as is when it lies outside the run).
    std::pair<view::Time, view::Time> effective_range() const;
    void update_header();
    QString scope_text() const;
    /// The utilisation chart's lanes top-down, named as the timeline names them.
    std::vector<std::pair<const view::UtilisationSeries*, QString>> utilisation_lanes() const;
    /// Where `pos` (viewport of chart `c`) falls in its plot, in the first series'
    /// values; none outside the plot or on an empty chart.
    std::optional<QPointF> value_at(Chart c, const QPointF& pos) const;
    QString utilisation_readout(const QPointF& value) const;
    QString histogram_readout(Chart c, double x) const;
    /// Shows readout(c, pos) as a tooltip at `global` (hides it over nothing).
    void show_readout(Chart c, const QPointF& pos, const QPoint& global);

    std::shared_ptr<const view::RunModel> m_model;
    view::Time m_start = 0;
    view::Time m_end = 0;
    bool m_range_set = false;  ///< set_range was called for this model
    TaskId m_task = 0;
    ResourceId m_resource = 0;
    view::ChartData m_data;
    bool m_stale = true;  ///< m_data no longer matches the inputs

    QLabel* m_header = nullptr;
    QTabWidget* m_tabs = nullptr;
    std::array<Page, kCharts> m_pages;
    std::vector<ResourceId> m_occupancy_shown;  ///< channels the occupancy chart draws
    QTimer* m_refresh = nullptr;
};

}  // namespace spindle::ui
