// Race marks on the timeline, headless: hit-testing a select's winner flag names the
// branch, a late reply is described on its channel lane, lags sit on the lagging
// receiver's lane (painted there, not on the fast one), watch versions are named.
#include <catch2/catch.hpp>

#include <QImage>
#include <QPainter>

#include <cmath>

#include "gui_test_support.h"
#include "lane/channel_lane.h"
#include "lane/task_lane.h"
#include "timeline/timeline_renderer.h"

using namespace spindle;
using namespace spindle::render;
using spindle::test::scenario_model;

namespace {

int lane_named(const TimelineRenderer& r, const QString& label) {
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (r.lanes()[i]->label() == label) return static_cast<int>(i);
    return -1;
}

/// The lane of the channel called `name` (whatever its label: "↳ reply 1" under its task).
int channel_lane_named(const TimelineRenderer& r, const std::string& name) {
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (const auto* c = dynamic_cast<const ChannelLane*>(r.lanes()[i].get()))
            if (const view::ResourceTrack* t = r.model().resource(c->resource());
                t && t->name == name)
                return static_cast<int>(i);
    return -1;
}

Hit hit_at(const TimelineRenderer& r, const view::TimeAxis& axis, int lane, view::Time t) {
    const QRectF rect = r.lane_rect(axis, lane);
    return r.hit_test(axis, QPointF(rect.left() + axis.x(t), rect.center().y()));
}

/// Pixels of `colour` inside `rect` of `image`.
int count_colour(const QImage& image, const QRectF& rect, const QColor& colour) {
    int n = 0;
    for (int y = static_cast<int>(rect.top()); y < static_cast<int>(rect.bottom()); ++y)
        for (int x = static_cast<int>(rect.left()); x < static_cast<int>(rect.right()); ++x)
            if (image.pixelColor(x, y) == colour) ++n;
    return n;
}

}  // namespace

TEST_CASE("hit-testing a select's winner flag names the winning branch", "[gui][race]") {
    const view::RunModel& m = scenario_model("select_race.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1600);
    const int main = lane_named(r, QStringLiteral("main"));
    REQUIRE(main >= 0);
    const auto& selects = m.races().selects();
    REQUIRE(selects.size() == 8);

    const view::SelectRace& timeout = selects[1];
    REQUIRE(timeout.winner == 1);
    const Hit t = hit_at(r, axis, main, timeout.end);
    INFO(t.text.toStdString());
    CHECK(t.task == timeout.task);
    CHECK(t.text.contains(QStringLiteral("won by branch 1 \u201ctimeout\u201d")));
    CHECK(t.text.contains(QStringLiteral("recv on reply 2 (dropped without effect)")));

    const view::SelectRace& reply = selects[5];
    REQUIRE(reply.winner == 0);
    const Hit w = hit_at(r, axis, main, reply.end);
    INFO(w.text.toStdString());
    CHECK(w.text.contains(QStringLiteral("won by branch 0 \u201creply\u201d")));
    CHECK(w.text.contains(QStringLiteral("sleep (timer cancelled)")));

    // Between the marks the lane still describes its span.
    const Hit mid = hit_at(r, axis, main, (timeout.start + timeout.end) / 2);
    CHECK(mid.text.contains(QStringLiteral("waiting in select")));
}

TEST_CASE("a reply sent after its receiver gave up is described as late", "[gui][race]") {
    const view::RunModel& m = scenario_model("select_race.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1600);
    const int reply1 = channel_lane_named(r, "reply 1");
    REQUIRE(reply1 >= 0);
    REQUIRE_FALSE(m.races().lates().empty());
    const view::LateMark& late = m.races().lates().front();
    const Hit h = hit_at(r, axis, reply1, late.time);
    INFO(h.text.toStdString());
    CHECK(h.text.contains(QStringLiteral("late message by handler 1")));
    CHECK(h.text.contains(QStringLiteral("main had given up")));
    CHECK(h.task == late.sender);
}

TEST_CASE("broadcast lags are drawn and described on the lagging receiver's lane", "[gui][race]") {
    const view::RunModel& m = scenario_model("broadcast_bus.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1600);
    const int slow = lane_named(r, QStringLiteral("slow"));
    const int fast = lane_named(r, QStringLiteral("fast"));
    REQUIRE(slow >= 0);
    REQUIRE(fast >= 0);
    const view::LagMark& lag = m.resources().front().lags.front();
    const Hit h = hit_at(r, axis, slow, lag.time);
    INFO(h.text.toStdString());
    CHECK(h.text.contains(QStringLiteral("lagged on bus")));
    CHECK(h.text.contains(QStringLiteral("skipped %1 messages").arg(lag.skipped)));

    QImage image(static_cast<int>(r.label_width() + axis.width()),
                 static_cast<int>(std::ceil(r.content_height())), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    r.paint(p, axis);
    p.end();
    const QColor steal = r.theme().steal;
    CHECK(count_colour(image, r.lane_rect(axis, slow), steal) > 100);  // the "lagged 2" chips
    CHECK(count_colour(image, r.lane_rect(axis, fast), steal) == 0);
}

TEST_CASE("a watch receiver's lane names the versions it saw and skipped", "[gui][race]") {
    const view::RunModel& m = scenario_model("config_reload.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1600);
    const int slow = lane_named(r, QStringLiteral("server c (slow)"));
    REQUIRE(slow >= 0);
    const TaskLane& lane = dynamic_cast<const TaskLane&>(*r.lanes()[slow]);
    const view::WatchSeen* skipping = nullptr;
    for (const view::WatchSeen& s : m.races().watch_seen())
        if (s.task == lane.task() && s.skipped() > 0) skipping = &s;
    REQUIRE(skipping);
    const Hit h = hit_at(r, axis, slow, skipping->time);
    INFO(h.text.toStdString());
    CHECK(h.text.contains(QStringLiteral("saw config v5 \u00b7 skipped v3\u2013v4")));
}
