// ChartsView: the four charts of a real run draw something, follow the range and the
// selection, put percentiles under the histograms, and answer a hover.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QImage>
#include <QMouseEvent>
#include <QTabWidget>
#include <QToolTip>

#include <memory>
#include <set>

#include "charts_view.h"
#include "run_model.h"
#include "spindle/lua/scenario.h"
#include "time_format.h"

using namespace spindle;
using spindle::ui::ChartsView;

namespace {

/// scenarios/worker_pool.lua run into a fresh shared model.
std::shared_ptr<const view::RunModel> worker_pool() {
    auto model = std::make_shared<view::RunModel>();
    lua::ScenarioOptions options;
    options.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/worker_pool.lua";
    options.sinks.push_back(model.get());
    const lua::ScenarioResult result = lua::run_scenario(options);
    (void)result;
    return model;
}

/// Distinct colours in a widget's rendering, sampled (1: blank).
std::size_t colours(QWidget* widget) {
    const QImage image = widget->grab().toImage();
    if (image.isNull()) return 0;
    std::set<QRgb> seen;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            seen.insert(image.pixel(x, y));
    return seen.size();
}

template <class F>
bool wait_until(F done, int ms = 3000) {
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

const view::TaskInfo* task_named(const view::RunModel& m, std::string_view name) {
    for (const view::TaskInfo& t : m.tasks())
        if (t.name == name) return &t;
    return nullptr;
}

}  // namespace

TEST_CASE("charts view draws all four charts of a run", "[gui][charts]") {
    const auto model = worker_pool();
    REQUIRE(model->finished());
    ChartsView view;
    view.resize(900, 420);
    view.show();
    view.set_model(model);
    view.refresh();

    const view::ChartData& d = view.data();
    CHECK(d.start == 0);
    CHECK(d.end == model->end_time() + 1);  // the whole run, its last instant included
    REQUIRE(d.occupancy.size() >= 2);       // "jobs" and "results"
    CHECK(d.poll_durations.count > 0);
    CHECK(d.scheduling_delays.count > 0);
    CHECK(d.utilisation.workers.size() == model->workers().size());

    for (int i = 0; i < ChartsView::kCharts; ++i) {
        const auto c = static_cast<ChartsView::Chart>(i);
        view.tabs()->setCurrentIndex(i);
        QApplication::processEvents();
        INFO("chart " << i);
        CHECK_FALSE(view.chart_view(c)->chart()->series().isEmpty());
        CHECK(colours(view.chart_view(c)) > 8);
        CHECK_FALSE(view.caption(c).isEmpty());
    }
    // Occupancy: a line per channel and a dashed one per capacity (both are bounded).
    CHECK(view.chart_view(ChartsView::Chart::occupancy)->chart()->series().size() ==
          static_cast<qsizetype>(2 * d.occupancy.size()));
    for (ChartsView::Chart c :
         {ChartsView::Chart::poll_duration, ChartsView::Chart::scheduling_delay}) {
        const QString text = view.caption(c);
        CHECK(text.contains(QStringLiteral("p50")));
        CHECK(text.contains(QStringLiteral("p90")));
        CHECK(text.contains(QStringLiteral("p99")));
        CHECK(text.contains(QStringLiteral("max")));
    }
    CHECK(colours(&view) > 8);
}

TEST_CASE("charts view follows the range and the selection", "[gui][charts]") {
    const auto model = worker_pool();
    ChartsView view;
    view.resize(800, 360);
    view.show();
    view.set_model(model);

    // Changes are coalesced and computed while the view is shown.
    const view::Time t0 = model->end_time() / 4, t1 = model->end_time() / 2;
    view.set_range(t0, t1);
    REQUIRE(wait_until([&] { return view.data().start == t0 && view.data().end == t1; }));
    for (const view::OccupancySeries& s : view.data().occupancy)
        for (const view::LenPoint& p : s.points) {
            CHECK(p.time >= t0);
            CHECK(p.time <= t1);
        }

    // The timeline's margins around the run are left out.
    view.set_range(-1'000, model->end_time() + 5'000);
    view.refresh();
    CHECK(view.data().start == 0);
    CHECK(view.data().end == model->end_time() + 1);

    const view::TaskInfo* worker = task_named(*model, "worker 1");
    REQUIRE(worker);
    view.set_range(0, model->end_time() + 1);
    view.set_selected_task(worker->id);
    view.refresh();
    CHECK(view.data().poll_durations.count == worker->polls);
    CHECK(view.caption(ChartsView::Chart::poll_duration).contains(QStringLiteral("worker 1")));

    const view::ResourceTrack* jobs = nullptr;
    for (const view::ResourceTrack& r : model->resources())
        if (r.name == "jobs") jobs = &r;
    REQUIRE(jobs);
    view.set_selected_resource(jobs->id);
    view.refresh();
    REQUIRE(view.data().occupancy.size() == 1);
    CHECK(view.data().occupancy[0].id == jobs->id);
    view.set_selected_task(0);
    view.set_selected_resource(0);
    view.refresh();
    CHECK(view.data().occupancy.size() >= 2);
}

TEST_CASE("charts view without a run, or with nothing in range, still draws", "[gui][charts]") {
    ChartsView view;
    view.resize(600, 300);
    view.show();
    view.refresh();
    CHECK(view.data().occupancy.empty());
    CHECK(colours(&view) > 1);

    const auto model = worker_pool();
    view.set_model(model);
    // Past the run's end: no polls, no wakes, idle workers.
    view.set_range(model->end_time() + 1'000, model->end_time() + 2'000);
    view.refresh();
    CHECK(view.data().poll_durations.count == 0);
    CHECK(view.caption(ChartsView::Chart::poll_duration).isEmpty());
    CHECK_FALSE(view.chart_view(ChartsView::Chart::poll_duration)->chart()->title().isEmpty());
    view.set_model(nullptr);
    view.refresh();
    CHECK(view.data().poll_durations.count == 0);
}

TEST_CASE("hovering the occupancy chart reads each drawn channel at that time", "[gui][charts]") {
    const auto model = worker_pool();
    ChartsView view;
    view.resize(900, 420);
    view.show();
    view.set_model(model);
    view.refresh();
    // The readout agrees with the model's own length track, channel by channel.
    const view::Time t = model->end_time() / 3;
    const QString text = view.occupancy_readout(t);
    INFO(text.toStdString());
    CHECK(text.startsWith(QStringLiteral("at ")));
    for (const view::ResourceTrack& r : model->resources()) {
        if (!r.is_channel()) continue;
        std::uint32_t len = 0;
        for (const view::LenPoint& p : r.length)
            if (p.time <= t) len = p.len;
        CHECK(text.contains(QStringLiteral("%1 %2/%3")
                                .arg(QString::fromStdString(r.name))
                                .arg(len)
                                .arg(r.capacity)));
    }
    // Filtered to one channel, it reads that one only.
    ResourceId jobs = 0;
    for (const view::ResourceTrack& r : model->resources())
        if (r.name == "jobs") jobs = r.id;
    REQUIRE(jobs != 0);
    view.set_selected_resource(jobs);
    view.refresh();
    CHECK(view.occupancy_readout(t).contains(QStringLiteral("jobs")));
    CHECK_FALSE(view.occupancy_readout(t).contains(QStringLiteral("results")));
}

namespace {

/// The viewport point of chart `c` showing `value` (in its first series' values).
QPoint viewport_point(ChartsView& view, ChartsView::Chart c, const QPointF& value) {
    QChartView* cv = view.chart_view(c);
    QChart* chart = cv->chart();
    REQUIRE_FALSE(chart->series().isEmpty());
    const QPointF in_chart = chart->mapToPosition(value, chart->series().front());
    return cv->mapFromScene(chart->mapToScene(in_chart));
}

/// The tooltip after the mouse rests at `pos` over chart `c` (Qt's tooltip event).
QString rest_over(ChartsView& view, ChartsView::Chart c, const QPoint& pos) {
    QToolTip::hideText();
    QWidget* viewport = view.chart_view(c)->viewport();
    QHelpEvent help(QEvent::ToolTip, pos, viewport->mapToGlobal(pos));
    QApplication::sendEvent(viewport, &help);
    return QToolTip::isVisible() ? QToolTip::text() : QString();
}

/// Shows chart `c`'s tab and lets it be built and laid out.
void show_tab(ChartsView& view, ChartsView::Chart c) {
    view.tabs()->setCurrentIndex(static_cast<int>(c));
    view.refresh();
    QApplication::processEvents();
}

}  // namespace

TEST_CASE("every chart answers a hover, and keeps answering while the mouse rests",
          "[gui][charts]") {
    const auto model = worker_pool();
    ChartsView view;
    view.resize(900, 420);
    view.show();
    view.set_model(model);
    view.refresh();
    const view::ChartData& d = view.data();
    const view::TimeUnit unit = view::axis_unit(d.end - d.start);

    SECTION("histograms: the bar's range and count, anywhere in its column") {
        for (auto c : {ChartsView::Chart::poll_duration, ChartsView::Chart::scheduling_delay}) {
            show_tab(view, c);
            const bool delays = c == ChartsView::Chart::scheduling_delay;
            const view::LogHistogram& h = delays ? d.scheduling_delays : d.poll_durations;
            REQUIRE(h.buckets.size() >= 2);
            // The tallest bar, hovered near its foot, and the shortest, far above its top.
            std::size_t tall = 0, low = 0;
            for (std::size_t k = 0; k < h.buckets.size(); ++k) {
                if (h.buckets[k].count > h.buckets[tall].count) tall = k;
                if (h.buckets[k].count < h.buckets[low].count) low = k;
            }
            for (auto [k, y] :
                 {std::pair{tall, 0.5}, std::pair{low, h.buckets[tall].count * 0.9}}) {
                const view::LogHistogram::Bucket& b = h.buckets[k];
                const QPoint pos = viewport_point(view, c, QPointF(static_cast<double>(k), y));
                const QString text = rest_over(view, c, pos);
                INFO(text.toStdString());
                CHECK(text.startsWith(
                    QStringLiteral("%1 %2 from %3 to under %4")
                        .arg(b.count)
                        .arg(delays ? "wakes" : "polls")
                        .arg(QString::fromStdString(view::format_duration(b.lower)),
                             QString::fromStdString(view::format_duration(b.upper)))));
                CHECK(text == view.readout(c, pos));
            }
        }
    }

    SECTION("occupancy: every drawn channel at the time under the cursor") {
        show_tab(view, ChartsView::Chart::occupancy);
        const view::Time t = model->end_time() / 3;
        const QPoint pos = viewport_point(view, ChartsView::Chart::occupancy,
                                          QPointF(static_cast<double>(t) / unit.ns, 1));
        const QString text = rest_over(view, ChartsView::Chart::occupancy, pos);
        INFO(text.toStdString());
        CHECK(text.contains(QStringLiteral("jobs ")));
        CHECK(text.contains(QStringLiteral("results ")));
        // A mouse move answers at once, without waiting for the rest.
        QToolTip::hideText();
        QWidget* viewport = view.chart_view(ChartsView::Chart::occupancy)->viewport();
        QMouseEvent move(QEvent::MouseMove, QPointF(pos), viewport->mapToGlobal(QPointF(pos)),
                         Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &move);
        CHECK(QToolTip::isVisible());
        CHECK(QToolTip::text() == text);
    }

    SECTION("utilisation: the lane's busy share in the bucket under the cursor") {
        show_tab(view, ChartsView::Chart::utilisation);
        const view::Utilisation& u = d.utilisation;
        REQUIRE(u.edges.size() > 10);
        const std::size_t b = u.edges.size() / 2;
        const view::Time mid = (u.edges[b] + u.edges[b + 1]) / 2;
        // The top lane is thread 0.
        const double top = static_cast<double>(u.workers.size()) - 0.6;
        const QPoint pos = viewport_point(view, ChartsView::Chart::utilisation,
                                          QPointF(static_cast<double>(mid) / unit.ns, top));
        const QString text = rest_over(view, ChartsView::Chart::utilisation, pos);
        INFO(text.toStdString());
        CHECK(text.startsWith(QStringLiteral("thread 0 from ")));
        CHECK(text.contains(
            QStringLiteral("busy %1 %").arg(std::lround(100 * u.workers[0].fraction[b]))));
    }

    SECTION("outside the plot, nothing") {
        show_tab(view, ChartsView::Chart::poll_duration);
        CHECK(view.readout(ChartsView::Chart::poll_duration, QPointF(1, 1)).isEmpty());
    }
}
