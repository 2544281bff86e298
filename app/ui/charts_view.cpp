#include "charts_view.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QTabWidget>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "gui_theme.h"
#include "theme.h"
#include "time_format.h"

namespace spindle::ui {

namespace {

constexpr int kRefreshDelayMs = 40;  ///< coalesces a burst of range changes
constexpr double kBandHeight = 0.8;  ///< utilisation: a full bucket's height in its lane

const render::Theme& theme() {
    return gui_theme();
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString duration(view::Time d) {
    return qs(view::format_duration(d));
}

/// A 1, 2 or 5 × 10^k step (any k) giving about `ticks` intervals over `span` (> 0).
double nice_step(double span, int ticks) {
    const double raw = span / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * mag >= raw) return m * mag;
    return 10 * mag;
}

/// A whole 1, 2 or 5 × 10^k step giving about `ticks` intervals up to `max` (>= 1).
std::uint64_t count_step(std::uint64_t max, int ticks = 5) {
    return static_cast<std::uint64_t>(std::max(1.0, nice_step(static_cast<double>(max), ticks)));
}

/// A compact bucket edge for category labels ("512µs", "1.02ms").
QString short_duration(view::Time d) {
    QString s = duration(d);
    s.remove(QLatin1Char(' '));
    return s;
}

void clear(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* a : chart->axes()) {
        chart->removeAxis(a);
        delete a;
    }
    chart->setTitle({});
}

void style_axis(QAbstractAxis* axis, const QString& title = {}) {
    const render::Theme& t = theme();
    QFont f = axis->labelsFont();
    f.setPixelSize(t.font_px - 1);
    axis->setLabelsFont(f);
    axis->setLabelsColor(t.text_dim);
    axis->setLinePenColor(t.separator);
    axis->setGridLineColor(t.grid);
    axis->setMinorGridLineVisible(false);
    if (!title.isEmpty()) {
        axis->setTitleText(title);
        axis->setTitleFont(f);
        axis->setTitleBrush(t.text_dim);
    }
}

/// A count axis from 0 with integer ticks and room above `max`.
QValueAxis* count_axis(std::uint64_t max, const QString& title) {
    auto* axis = new QValueAxis;
    const std::uint64_t step = count_step(std::max<std::uint64_t>(max, 1));
    // Room above the highest value for the bar labels; ticks stay on multiples of step.
    const std::uint64_t top = std::max<std::uint64_t>(max, 1) + max / 8 + 1;
    axis->setRange(0, static_cast<double>(top));
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(static_cast<double>(step));
    axis->setLabelFormat(QStringLiteral("%d"));
    style_axis(axis, title);
    return axis;
}

/// A time axis over [t0, t1] in the unit view::axis_unit picks, with round ticks.
QValueAxis* time_axis(view::Time t0, view::Time t1) {
    const view::TimeUnit u = view::axis_unit(t1 - t0);
    const double step = nice_step(static_cast<double>(t1 - t0) / u.ns, 6);
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    auto* axis = new QValueAxis;
    axis->setRange(t0 / u.ns, t1 / u.ns);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
    style_axis(axis, QStringLiteral("time (%1)").arg(QString::fromUtf8(u.name)));
    return axis;
}

/// The theme's colours on a chart and its view.
void style_chart(QChartView* view) {
    const render::Theme& t = theme();
    QChart* chart = view->chart();
    chart->setBackgroundBrush(t.background);
    chart->legend()->setLabelColor(t.text);
    chart->setTitleBrush(t.text_dim);
    view->setBackgroundBrush(t.background);
}

QChartView* make_chart_view() {
    const render::Theme& t = theme();
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 8, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->setAlignment(Qt::AlignTop);
    QFont f = chart->legend()->font();
    f.setPixelSize(t.font_px - 1);
    chart->legend()->setFont(f);
    QFont title = chart->titleFont();
    title.setPixelSize(t.font_px);
    chart->setTitleFont(title);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
    style_chart(view);
    return view;
}

}  // namespace

ChartsView::ChartsView(QWidget* parent) : QWidget(parent) {
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setContentsMargins(6, 2, 6, 0);
    QPalette dim = m_header->palette();
    dim.setColor(QPalette::WindowText, theme().text_dim);
    m_header->setPalette(dim);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    const std::array<QString, kCharts> names{tr("Channel occupancy"), tr("Worker utilisation"),
                                             tr("Poll duration"), tr("Scheduling delay")};
    for (std::size_t i = 0; i < m_pages.size(); ++i) {
        auto* page = new QWidget;
        auto* layout = new QVBoxLayout(page);
        layout->setContentsMargins(0, 0, 0, 2);
        layout->setSpacing(0);
        m_pages[i].view = make_chart_view();
        m_pages[i].caption = new QLabel;
        m_pages[i].caption->setTextFormat(Qt::PlainText);
        m_pages[i].caption->setWordWrap(true);
        m_pages[i].caption->setContentsMargins(8, 2, 8, 2);
        m_pages[i].caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_pages[i].view, 1);
        layout->addWidget(m_pages[i].caption);
        m_tabs->addTab(page, names[i]);
    }
    // Every chart answers a hover (see readout()).
    for (Page& page : m_pages) {
        page.view->viewport()->setMouseTracking(true);
        page.view->viewport()->installEventFilter(this);
    }
    m_tabs->setTabToolTip(index(Chart::occupancy),
                          tr("Messages buffered in each channel over the visible range; "
                             "dashed: capacity"));
    m_tabs->setTabToolTip(index(Chart::utilisation),
                          tr("Share of each time bucket every worker spent polling"));
    m_tabs->setTabToolTip(index(Chart::poll_duration),
                          tr("Polls starting in the visible range, by duration (log scale)"));
    m_tabs->setTabToolTip(index(Chart::scheduling_delay),
                          tr("Time from a task's wake to its next poll, for wakes in the "
                             "visible range (log scale)"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(kRefreshDelayMs);
    connect(m_refresh, &QTimer::timeout, this, &ChartsView::update_now);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int) { update_now(); });
    refresh();
}

ChartsView::~ChartsView() = default;

QString ChartsView::caption(Chart c) const {
    return m_pages[index(c)].caption->text();
}

void ChartsView::set_model(std::shared_ptr<const view::RunModel> model) {
    m_model = std::move(model);
    m_range_set = false;
    m_start = 0;
    m_end = m_model ? m_model->end_time() + 1 : 0;
    // Ids belong to the old run; the window re-selects after a re-run.
    if (m_model && !m_model->task(m_task)) m_task = 0;
    if (m_model && !m_model->resource(m_resource)) m_resource = 0;
    changed(true, true, true);
}

void ChartsView::set_range(qint64 start, qint64 end) {
    if (end <= start) return;
    if (m_range_set && start == m_start && end == m_end) return;
    m_start = start;
    m_end = end;
    m_range_set = true;
    changed(true, true, true);
}

void ChartsView::set_selected_task(TaskId task) {
    if (task == m_task) return;
    m_task = task;
    changed(false, true, true);
}

void ChartsView::set_selected_resource(ResourceId resource) {
    if (resource == m_resource) return;
    m_resource = resource;
    changed(true, false, false);
}

void ChartsView::set_selection(TaskId task, ResourceId resource) {
    set_selected_task(task);
    set_selected_resource(resource);
}

void ChartsView::changed(bool occupancy, bool utilisation, bool histograms) {
    m_stale = true;
    m_pages[index(Chart::occupancy)].dirty |= occupancy;
    m_pages[index(Chart::utilisation)].dirty |= utilisation;
    m_pages[index(Chart::poll_duration)].dirty |= histograms;
    m_pages[index(Chart::scheduling_delay)].dirty |= histograms;
    update_header();
    m_refresh->start();
}

void ChartsView::refresh() {
    m_refresh->stop();
    compute();
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        rebuild(static_cast<Chart>(i));
}

void ChartsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    update_now();
}

void ChartsView::update_now() {
    if (!isVisible()) return;  // showEvent catches up
    if (m_stale) compute();
    const auto current = static_cast<Chart>(std::max(0, m_tabs->currentIndex()));
    if (m_pages[index(current)].dirty) rebuild(current);
}

void ChartsView::compute() {
    m_stale = false;
    if (!m_model) {
        m_data = {};
        return;
    }
    view::ChartQuery q;
    std::tie(q.start, q.end) = effective_range();
    q.task = m_task;
    const view::ResourceTrack* r = m_model->resource(m_resource);
    q.resource = r && r->is_channel() ? m_resource : 0;
    q.buckets = kUtilisationBuckets;
    m_data = view::compute_charts(*m_model, q);
}

void ChartsView::rebuild(Chart c) {
    Page& page = m_pages[index(c)];
    page.dirty = false;
    QChart* chart = page.view->chart();
    clear(chart);
    chart->legend()->setVisible(false);
    if (!m_model) {
        chart->setTitle(tr("No run"));
        page.caption->setText(tr("Open a scenario or a trace to see its charts."));
        return;
    }
    switch (c) {
        case Chart::occupancy:
            rebuild_occupancy(chart, page.caption);
            break;
        case Chart::utilisation:
            rebuild_utilisation(chart, page.caption);
            break;
        case Chart::poll_duration:
            rebuild_histogram(chart, page.caption, m_data.poll_durations, false);
            break;
        case Chart::scheduling_delay:
            rebuild_histogram(chart, page.caption, m_data.scheduling_delays, true);
            break;
    }
}

void ChartsView::rebuild_occupancy(QChart* chart, QLabel* caption) {
    const render::Theme& t = theme();
    std::vector<const view::OccupancySeries*> shown;
    for (const view::OccupancySeries& s : m_data.occupancy)
        shown.push_back(&s);
    const std::size_t total = shown.size();
    if (shown.size() > kMaxChannels) {
        // Keep the fullest channels (ties: the older one), then restore id order.
        std::stable_sort(shown.begin(), shown.end(),
                         [](auto* a, auto* b) { return a->max_len > b->max_len; });
        shown.resize(kMaxChannels);
        std::sort(shown.begin(), shown.end(), [](auto* a, auto* b) { return a->id < b->id; });
    }
    m_occupancy_shown.clear();
    for (const view::OccupancySeries* s : shown)
        m_occupancy_shown.push_back(s->id);
    if (shown.empty()) {
        chart->setTitle(tr("No channels in the visible range"));
        caption->setText({});
        return;
    }

    std::uint64_t top = 1;
    for (const view::OccupancySeries* s : shown)
        top = std::max<std::uint64_t>({top, s->max_len, s->capacity.value_or(0)});
    auto* x = time_axis(m_data.start, m_data.end);
    auto* y = count_axis(top, tr("messages"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    const view::TimeUnit u = view::axis_unit(m_data.end - m_data.start);

    QStringList notes;
    for (const view::OccupancySeries* s : shown) {
        const QColor colour = t.task_colour(s->id);
        const QString name = s->name.empty() ? tr("channel %1").arg(s->id) : qs(s->name);
        auto* line = new QLineSeries;
        line->setName(name);  // the capacity is in the caption: the legend stays short
        QList<QPointF> pts;
        pts.reserve(static_cast<qsizetype>(s->points.size() * 2));
        for (std::size_t i = 0; i < s->points.size(); ++i) {
            const double x_val = s->points[i].time / u.ns;
            if (i > 0) pts.append({x_val, static_cast<double>(s->points[i - 1].len)});
            pts.append({x_val, static_cast<double>(s->points[i].len)});
        }
        line->append(pts);
        QPen pen(colour, m_resource == s->id ? 2.5 : 1.8);
        pen.setJoinStyle(Qt::MiterJoin);
        line->setPen(pen);
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);

        // A oneshot or watch holds one value at most: a capacity line would only add noise.
        const bool queue = s->kind == ResourceKind::mpsc || s->kind == ResourceKind::broadcast ||
                           s->kind == ResourceKind::crossbeam;
        if (s->capacity && queue) {
            auto* cap = new QLineSeries;
            cap->setName(tr("%1 capacity").arg(name));
            cap->append(s->points.front().time / u.ns, *s->capacity);
            cap->append(s->points.back().time / u.ns, *s->capacity);
            QPen dashed(render::blend(colour, t.capacity, 0.35), 1.2, Qt::DashLine);
            cap->setPen(dashed);
            chart->addSeries(cap);
            cap->attachAxis(x);
            cap->attachAxis(y);
            for (QLegendMarker* m : chart->legend()->markers(cap))
                m->setVisible(false);
        }
        notes << (s->capacity
                      ? tr("%1 peak %2/%3")
                            .arg(name, QString::number(s->max_len), QString::number(*s->capacity))
                      : tr("%1 peak %2 (unbounded)").arg(name, QString::number(s->max_len)));
    }
    chart->legend()->setVisible(true);
    QString text = notes.join(QStringLiteral(" · "));
    if (total > shown.size())
        text +=
            tr(" · %1 more channels not drawn (select one to see it)").arg(total - shown.size());
    caption->setText(text);
}

void ChartsView::rebuild_utilisation(QChart* chart, QLabel* caption) {
    const render::Theme& t = theme();
    const view::Utilisation& u = m_data.utilisation;
    if (u.workers.empty() || u.edges.size() < 2) {
        chart->setTitle(tr("No workers"));
        caption->setText({});
        return;
    }
    const auto lanes = utilisation_lanes();
    auto* x = time_axis(m_data.start, m_data.end);
    auto* y = new QCategoryAxis;
    y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    y->setStartValue(0);
    const auto count = static_cast<double>(lanes.size());
    y->setRange(0, count);
    style_axis(y);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    const view::TimeUnit unit = view::axis_unit(m_data.end - m_data.start);
    const double range_ns = static_cast<double>(m_data.end - m_data.start);
    const QColor task_colour = t.task_colour(m_task);

    // An area whose height in its lane (`base` up) follows `fraction` bucket by bucket.
    const auto add_band = [&](const std::vector<double>& fraction, double base,
                              const QColor& colour, const QString& name, bool outline) {
        auto* upper = new QLineSeries;
        auto* lower = new QLineSeries;
        QList<QPointF> pts;
        pts.reserve(static_cast<qsizetype>(fraction.size() * 2));
        for (std::size_t j = 0; j < fraction.size(); ++j) {
            const double h = base + kBandHeight * fraction[j];
            pts.append({u.edges[j] / unit.ns, h});
            pts.append({u.edges[j + 1] / unit.ns, h});
        }
        upper->append(pts);
        lower->append(u.edges.front() / unit.ns, base);
        lower->append(u.edges.back() / unit.ns, base);
        auto* area = new QAreaSeries(upper, lower);
        // An area series does not own its edges: without a parent they leaked on
        // every rebuild (found by LeakSanitizer).
        upper->setParent(area);
        lower->setParent(area);
        area->setBrush(colour);
        area->setPen(outline ? QPen(colour.darker(130), 1) : QPen(Qt::NoPen));
        area->setName(name);
        chart->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
    };
    const auto percent = [range_ns](const std::vector<view::Time>& ns) {
        double sum = 0;
        for (view::Time v : ns)
            sum += static_cast<double>(v);
        return static_cast<int>(std::lround(100.0 * sum / range_ns));
    };

    // Lanes top-down, as in the timeline; QCategoryAxis wants its categories bottom-up.
    QStringList notes;
    for (std::size_t k = lanes.size(); k-- > 0;) {
        const auto& [w, name] = lanes[k];
        const double base = count - 1 - static_cast<double>(k);
        add_band(w->fraction, base, t.merged, name, true);
        QString label = QStringLiteral("%1  %2%").arg(name).arg(percent(w->busy));
        if (!w->task_fraction.empty()) {
            add_band(w->task_fraction, base, task_colour, name, false);
            label = QStringLiteral("%1  %2% (%3%)")
                        .arg(name)
                        .arg(percent(w->busy))
                        .arg(percent(w->task_busy));
        }
        y->append(label, base + 1);
        notes.prepend(label.simplified());
    }
    const view::Time bucket = u.edges[1] - u.edges[0];
    const view::TaskInfo* task = m_model->task(m_task);
    caption->setText(
        tr("Busy%1: %2 · %3 buckets of %4; a full lane is 100 %")
            .arg(task ? tr(" (in colour and brackets: %1)").arg(qs(task->name)) : QString(),
                 notes.join(QStringLiteral(" · ")), QString::number(u.edges.size() - 1),
                 duration(bucket)));
}

void ChartsView::rebuild_histogram(QChart* chart, QLabel* caption, const view::LogHistogram& h,
                                   bool delays) {
    const render::Theme& t = theme();
    const QString what = delays ? tr("wakes") : tr("polls");
    const QString scope =
        m_task ? tr(" of %1").arg(m_model->task(m_task) ? qs(m_model->task(m_task)->name)
                                                        : tr("task %1").arg(m_task))
               : QString();
    if (h.count == 0) {
        chart->setTitle(delays ? tr("No wakes followed by a poll in the visible range%1").arg(scope)
                               : tr("No polls start in the visible range%1").arg(scope));
        caption->setText({});
        return;
    }
    auto* set = new QBarSet(what);
    QStringList categories;
    std::uint64_t top = 0;
    for (const view::LogHistogram::Bucket& b : h.buckets) {
        *set << static_cast<qreal>(b.count);
        categories << (b.lower == 0 ? QStringLiteral("0") : short_duration(b.lower));
        top = std::max(top, b.count);
    }
    const QColor colour = m_task   ? t.task_colour(m_task)
                          : delays ? render::blend(t.queued, t.warn, 0.55)
                                   : t.occupancy_line;
    set->setColor(colour);
    set->setBorderColor(colour.darker(120));
    set->setLabelColor(t.text_dim);
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.9);
    series->setLabelsVisible(h.buckets.size() <= 24);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);

    auto* x = new QBarCategoryAxis;
    x->append(categories);
    style_axis(x, delays ? tr("wake → poll delay (bucket start; each bucket doubles)")
                         : tr("poll duration (bucket start; each bucket doubles)"));
    if (categories.size() > 12) x->setLabelsAngle(-45);
    auto* y = count_axis(top, what);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);

    caption->setText(tr("%1 %2%3 · p50 %4 · p90 %5 · p99 %6 · max %7 · mean %8")
                         .arg(QString::number(h.count), what, scope, duration(h.p50),
                              duration(h.p90), duration(h.p99), duration(h.max),
                              duration(h.total / static_cast<view::Time>(h.count))));
}

void ChartsView::apply_theme() {
    for (Page& page : m_pages) {
        style_chart(page.view);
        page.dirty = true;
    }
    QPalette dim = m_header->palette();
    dim.setColor(QPalette::WindowText, theme().text_dim);
    m_header->setPalette(dim);
    refresh();
}

QString ChartsView::occupancy_readout(view::Time t) const {
    QStringList parts;
    for (const view::OccupancySeries& s : m_data.occupancy) {
        if (std::find(m_occupancy_shown.begin(), m_occupancy_shown.end(), s.id) ==
            m_occupancy_shown.end())
            continue;
        auto it =
            std::upper_bound(s.points.begin(), s.points.end(), t,
                             [](view::Time at, const view::LenPoint& p) { return at < p.time; });
        const std::uint32_t len = it == s.points.begin() ? 0 : std::prev(it)->len;
        const QString name = s.name.empty() ? tr("channel %1").arg(s.id) : qs(s.name);
        parts << (s.capacity ? tr("%1 %2/%3").arg(name).arg(len).arg(*s.capacity)
                             : tr("%1 %2").arg(name).arg(len));
    }
    if (parts.isEmpty()) return {};
    const view::Time step = std::max<view::Time>((m_data.end - m_data.start) / 1000, 1);
    return tr("at %1: %2").arg(qs(view::format_time(t, step)), parts.join(QStringLiteral(" · ")));
}

std::vector<std::pair<const view::UtilisationSeries*, QString>> ChartsView::utilisation_lanes()
    const {
    // The timeline's lane order and names: core threads by id, then the blocking pool.
    std::vector<std::pair<const view::UtilisationSeries*, QString>> lanes;
    for (bool blocking : {false, true}) {
        int n = 0;
        for (const view::UtilisationSeries& w : m_data.utilisation.workers) {
            if ((w.role == WorkerRole::blocking) != blocking) continue;
            lanes.emplace_back(
                &w, blocking ? tr("blocking %1").arg(n++) : tr("thread %1").arg(w.worker));
        }
    }
    return lanes;
}

std::optional<QPointF> ChartsView::value_at(Chart c, const QPointF& pos) const {
    const QChartView* view = m_pages[index(c)].view;
    QChart* chart = view->chart();
    if (chart->series().isEmpty()) return std::nullopt;
    const QPointF in_chart = chart->mapFromScene(view->mapToScene(pos.toPoint()));
    if (!chart->plotArea().contains(in_chart)) return std::nullopt;
    return chart->mapToValue(in_chart, chart->series().front());
}

QString ChartsView::readout(Chart c, const QPointF& pos) const {
    const std::optional<QPointF> value = value_at(c, pos);
    if (!value || !m_model) return {};
    switch (c) {
        case Chart::occupancy: {
            const view::TimeUnit u = view::axis_unit(m_data.end - m_data.start);
            return occupancy_readout(static_cast<view::Time>(std::floor(value->x() * u.ns)));
        }
        case Chart::utilisation:
            return utilisation_readout(*value);
        case Chart::poll_duration:
        case Chart::scheduling_delay:
            return histogram_readout(c, value->x());
    }
    return {};
}

QString ChartsView::utilisation_readout(const QPointF& value) const {
    const view::Utilisation& u = m_data.utilisation;
    const auto lanes = utilisation_lanes();
    if (lanes.empty() || u.edges.size() < 2 || value.y() < 0) return {};
    // Lane k (top-down) spans [count - 1 - k, count - k) on the value axis.
    const auto from_bottom = static_cast<std::size_t>(std::floor(value.y()));
    if (from_bottom >= lanes.size()) return {};
    const auto& [w, name] = lanes[lanes.size() - 1 - from_bottom];
    const view::TimeUnit unit = view::axis_unit(m_data.end - m_data.start);
    const auto t = static_cast<view::Time>(std::floor(value.x() * unit.ns));
    const std::optional<std::size_t> b = u.bucket_at(t);
    if (!b) return {};
    const view::Time step = std::max<view::Time>((u.edges.back() - u.edges.front()) / 1000, 1);
    QString text = tr("%1 from %2 to %3: busy %4 % (%5)")
                       .arg(name, qs(view::format_time(u.edges[*b], step)),
                            qs(view::format_time(u.edges[*b + 1], step)))
                       .arg(std::lround(100 * w->fraction[*b]))
                       .arg(duration(w->busy[*b]));
    if (const view::TaskInfo* task = m_model->task(m_task); task && !w->task_fraction.empty())
        text += tr(", %1 %2 %").arg(qs(task->name)).arg(std::lround(100 * w->task_fraction[*b]));
    return text;
}

QString ChartsView::histogram_readout(Chart c, double x) const {
    const bool delays = c == Chart::scheduling_delay;
    const view::LogHistogram& h = delays ? m_data.scheduling_delays : m_data.poll_durations;
    // Bar k is centred on category k: the whole column answers, however short the bar.
    const long k = std::lround(x);
    if (h.count == 0 || k < 0 || static_cast<std::size_t>(k) >= h.buckets.size()) return {};
    const view::LogHistogram::Bucket& b = h.buckets[static_cast<std::size_t>(k)];
    return tr("%1 %2 from %3 to under %4 (%5 % of all)")
        .arg(b.count)
        .arg(delays ? tr("wakes") : tr("polls"), duration(b.lower), duration(b.upper))
        .arg(100.0 * static_cast<double>(b.count) / static_cast<double>(h.count), 0, 'f', 1);
}

void ChartsView::show_readout(Chart c, const QPointF& pos, const QPoint& global) {
    const QString text = readout(c, pos);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(global, text, m_pages[index(c)].view->viewport());
}

bool ChartsView::eventFilter(QObject* watched, QEvent* event) {
    for (std::size_t i = 0; i < m_pages.size(); ++i) {
        if (watched != m_pages[i].view->viewport()) continue;
        const auto chart = static_cast<Chart>(i);
        switch (event->type()) {
            case QEvent::MouseMove: {
                const auto* e = static_cast<QMouseEvent*>(event);
                if (e->buttons() == Qt::NoButton)
                    show_readout(chart, e->position(), e->globalPosition().toPoint());
                break;
            }
            case QEvent::ToolTip: {
                // Answered here: the chart's scene would hide any tooltip its items lack.
                const auto* e = static_cast<QHelpEvent*>(event);
                show_readout(chart, e->pos(), e->globalPos());
                return true;
            }
            case QEvent::Leave:
                QToolTip::hideText();
                break;
            default:
                break;
        }
        break;
    }
    return QWidget::eventFilter(watched, event);
}

std::pair<view::Time, view::Time> ChartsView::effective_range() const {
    if (!m_model) return {m_start, m_end};
    // + 1: what happens at the very end (the last receive, the last poll) is in the run.
    const view::Time start = std::max<view::Time>(m_start, 0);
    const view::Time end = std::min(m_end, m_model->end_time() + 1);
    return start < end ? std::pair{start, end} : std::pair{m_start, m_end};
}

void ChartsView::update_header() {
    m_header->setText(scope_text());
}

QString ChartsView::scope_text() const {
    if (!m_model) return tr("No run");
    const auto [start, end] = effective_range();
    const view::Time step = std::max<view::Time>((end - start) / 100, 1);
    QString text = tr("Range %1 – %2 (%3)")
                       .arg(qs(view::format_time(start, step)), qs(view::format_time(end, step)),
                            duration(end - start));
    if (const view::TaskInfo* task = m_model->task(m_task))
        text += tr(" · task %1 (#%2)").arg(qs(task->name)).arg(task->id);
    if (const view::ResourceTrack* r = m_model->resource(m_resource); r && r->is_channel())
        text += tr(" · channel %1").arg(qs(r->name));
    return text;
}

}  // namespace spindle::ui
