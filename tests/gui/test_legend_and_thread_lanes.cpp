// The timeline's legend wraps rather than clipping at a narrow width, and an
// OS-thread lane reads as ended (not parked) once its thread is over.
#include <catch2/catch.hpp>

#include <QImage>
#include <QPainter>
#include <QTemporaryDir>

#include <cmath>

#include "export.h"
#include "gui_test_support.h"
#include "lane/worker_lane.h"
#include "thread_life.h"
#include "timeline/timeline_renderer.h"

using namespace spindle;
using namespace spindle::render;
using spindle::test::scenario_model;

namespace {

QImage paint_at(const TimelineRenderer& r, const view::TimeAxis& axis, double width) {
    QImage image(static_cast<int>(width), static_cast<int>(std::ceil(r.content_height(width))),
                 QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    r.paint(p, axis);
    p.end();
    return image;
}

/// Whether any pixel of `area` differs from the background.
bool has_ink(const QImage& image, const QRect& area, QRgb background) {
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            if (image.pixel(x, y) != background) return true;
    return false;
}

}  // namespace

TEST_CASE("the legend wraps onto more rows at a narrow width, within the picture",
          "[gui][renderer][legend]") {
    const view::RunModel& m = scenario_model("blocking_recv_in_async.lua");
    TimelineRenderer r(m);
    RenderOptions o;
    o.legend = true;
    r.set_options(o);
    const double row = Theme::light().legend_height;
    CHECK(r.legend_height(5000) == Approx(row));
    CHECK(r.legend_height(1200) >= 2 * row);
    CHECK(r.content_height(1200) == Approx(r.content_height(5000) + r.legend_height(1200) - row));

    // Painted at 1200: ink in the second legend row, none in the last pixels of any row.
    const double width = 1200;
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), width);
    const QImage image = paint_at(r, axis, width);
    const QRgb bg = Theme::light().background.rgb();
    const int legend_top =
        static_cast<int>(std::ceil(r.content_height(width) - r.legend_height(width)));
    const int second_row = legend_top + static_cast<int>(row);
    CHECK(has_ink(image, QRect(0, second_row + 4, 400, static_cast<int>(row) - 8), bg));
    CHECK_FALSE(has_ink(
        image,
        QRect(static_cast<int>(width) - 6, legend_top + 2, 6, image.height() - legend_top - 2),
        bg));

    // An export is as tall as the wrapped legend needs.
    QTemporaryDir dir;
    ExportOptions eo;
    eo.width = 1200;
    eo.pixel_ratio = 1;
    const QString path = dir.filePath(QStringLiteral("legend.png"));
    REQUIRE(export_timeline(m, eo, path).ok);
    QImage exported;
    REQUIRE(exported.load(path));
    TimelineRenderer er(m);
    er.set_options(eo.render);
    CHECK(exported.height() == static_cast<int>(std::ceil(er.content_height(1200))));
}

TEST_CASE("an OS-thread lane draws no parked hatch after its thread ended",
          "[gui][renderer][threads]") {
    const view::RunModel& m = scenario_model("scoped_threads.lua");
    TimelineRenderer r(m);
    const double width = 1600;
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), width);
    const QImage image = paint_at(r, axis, width);
    const Theme& th = Theme::light();
    int checked = 0;
    for (std::size_t i = 0; i < r.lanes().size(); ++i) {
        const Lane& lane = *r.lanes()[i];
        if (lane.kind() != Lane::Kind::thread) continue;
        const auto* wl = dynamic_cast<const WorkerLane*>(&lane);
        REQUIRE(wl);
        const std::vector<view::Span> vacant = view::vacancies(m, wl->worker());
        REQUIRE(vacant.size() == 1);
        const QRectF rect = r.lane_rect(axis, static_cast<int>(i));
        const double x0 = rect.left() + axis.x(vacant.front().start) + 6;
        const double x1 = rect.left() + axis.x(vacant.front().end) - 2;
        if (x1 - x0 < 10) continue;  // the last thread ends with the run
        ++checked;
        int parked = 0, ink = 0;
        for (int y = static_cast<int>(rect.top()) + 4; y < static_cast<int>(rect.bottom()) - 4; ++y)
            for (int x = static_cast<int>(x0); x < static_cast<int>(x1); ++x) {
                const QRgb c = image.pixel(x, y);
                parked += c == th.parked.rgb() || c == th.parked_hatch.rgb();
                ink += c != th.background.rgb();
            }
        CHECK(parked == 0);
        CHECK(ink > 0);  // the thin "no thread" line
        // And the hover says so.
        const Hit hit = r.hit_test(axis, QPointF((x0 + x1) / 2, rect.center().y()));
        CHECK(hit.text.contains(QStringLiteral("no thread here")));
        CHECK(hit.text.contains(QStringLiteral("ended at")));
    }
    CHECK(checked >= 1);
}
