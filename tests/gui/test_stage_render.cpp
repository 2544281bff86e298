// StagePainter headless: a shipped scenario's stage painted into an image, and
// `spindle --export-stage` as a user runs it (files written, exit codes).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QStringList>
#include <QSvgGenerator>
#include <QXmlStreamReader>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "gui_test_support.h"
#include "stage/stage_painter.h"
#include "stage_model.h"
#include "stage_view.h"

using namespace spindle;
using namespace spindle::render;
using spindle::test::scenario_model;

namespace {

constexpr view::Time kMs = 1'000'000;

namespace fs = std::filesystem;

fs::path temp_dir() {
    fs::path d = fs::temp_directory_path() / ("spindle-stage-test-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

/// Runs `spindle ARGS` headless (no display, no platform set); returns the exit code.
int run_app(const std::string& args) {
    const fs::path dir = temp_dir();
    const std::string cmd = "env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM '" +
                            std::string(SPINDLE_APP_PATH) + "' " + args + " >'" +
                            (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string scenario_path(const std::string& name) {
    return "'" + std::string(SPINDLE_SOURCE_DIR) + "/scenarios/" + name + "'";
}

QImage paint(const StagePainter& r, const view::StageSnapshot& s, int width, int height) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::black);  // the renderer must cover it all
    QPainter p(&image);
    r.paint(p, s, QRectF(0, 0, width, height));
    p.end();
    return image;
}

/// The texts `r` draws for `s` at `width` (painted into SVG, read back).
QStringList drawn_texts(const StagePainter& r, const view::StageSnapshot& s, int width) {
    QBuffer svg;
    svg.open(QIODevice::WriteOnly);
    const int height = static_cast<int>(r.height_for_width(width));
    QSvgGenerator gen;
    gen.setOutputDevice(&svg);
    gen.setSize(QSize(width, height));
    gen.setViewBox(QRect(0, 0, width, height));
    QPainter p(&gen);
    r.paint(p, s, QRectF(0, 0, width, height));
    p.end();
    QStringList texts;
    QXmlStreamReader xml(svg.data());
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    return texts;
}

}  // namespace

TEST_CASE("the stage of worker_pool at 3 ms paints workers, queues and channels", "[gui][stage]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    REQUIRE(m.finished());
    const view::StageIndex index(m);
    const view::StageSnapshot s = index.at(3 * kMs, 10'000);
    StagePainter r(index);
    const int width = 1400;
    const int height = static_cast<int>(r.height_for_width(width));
    CHECK(height > 200);
    const QImage image = paint(r, s, width, height);

    // Not blank: the background covers everything, and there is plenty drawn on it.
    std::set<QRgb> colours;
    std::size_t background = 0, black = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb c = image.pixel(x, y);
            colours.insert(c);
            if (c == Theme::light().background.rgb()) ++background;
            if (c == qRgb(0, 0, 0)) ++black;
        }
    CHECK(black == 0);
    CHECK(colours.size() > 50);
    CHECK(background < static_cast<std::size_t>(image.width()) * image.height() * 95 / 100);

    // Each running task's chip sits in its worker's box, in the task's colour.
    std::size_t running = 0;
    for (const view::StageWorker& w : s.workers) {
        if (!w.running) continue;
        ++running;
        const view::TaskChip* chip = s.chip(w.running);
        REQUIRE(chip);
        REQUIRE(chip->progress == 1.0);
        const QPointF centre = r.layout(width).place(chip->to, s).centre;
        const QPoint inside(static_cast<int>(centre.x() - r.chip_width() / 2 + 5),
                            static_cast<int>(centre.y()));
        CHECK(image.pixelColor(inside) == Theme::light().task_colour(w.running));
        CHECK(r.task_at(s, QRectF(0, 0, width, height), centre) == w.running);
    }
    CHECK(running > 0);
    // The jobs channel is full there: its four messages have chips.
    std::size_t buffered = 0;
    for (const view::StageChannel& c : s.channels)
        buffered += c.buffered.size();
    CHECK(buffered > 0);
    CHECK(s.messages.size() >= buffered);
}

TEST_CASE("the stage paints at every time and any size, scaled to fit", "[gui][stage]") {
    const view::RunModel& m = scenario_model("blocking.lua");
    const view::StageIndex index(m);
    StagePainter r(index);
    const view::Time end = m.end_time();
    for (int i = 0; i <= 40; ++i) {
        const view::StageSnapshot s = index.at(end * i / 40);
        const QImage small = paint(r, s, 640, 240);
        CHECK(small.pixel(0, 0) == Theme::light().background.rgb());
        CHECK(small.pixel(639, 239) == Theme::light().background.rgb());
    }
    // Blocking threads get their own boxes.
    CHECK(index.uses(view::StageArea::running));
    bool lane = false;
    for (const view::WorkerTrack& w : m.workers())
        lane = lane || w.role == WorkerRole::blocking;
    CHECK(lane);
}

TEST_CASE("spindle --export-stage writes a PNG of the stage, exit codes as --export",
          "[gui][cli][stage]") {
    const fs::path dir = temp_dir();
    const fs::path png = dir / "stage.png";
    fs::remove(png);
    CHECK(run_app("--export-stage '" + png.string() + "' --at 3 " +
                  scenario_path("worker_pool.lua")) == 0);
    QImage image(QString::fromStdString(png.string()));
    REQUIRE_FALSE(image.isNull());
    CHECK(image.width() == 2400);  // 1200 px at the default pixel ratio 2

    const fs::path small = dir / "small.png";
    CHECK(run_app("--export-stage '" + small.string() + "' --at 0.5 --width 800 --pixel-ratio 1 " +
                  scenario_path("worker_pool.lua")) == 0);
    CHECK(QImage(QString::fromStdString(small.string())).width() == 800);

    // Deadlock 3 and a failed task 1, the image written all the same.
    const fs::path stuck = dir / "deadlock.png";
    fs::remove(stuck);
    CHECK(run_app("--export-stage '" + stuck.string() + "' --at 1 " +
                  scenario_path("deadlock.lua")) == 3);
    CHECK(fs::exists(stuck));
    const fs::path failing = dir / "failing.lua";
    std::ofstream(failing) << "spawn('t', function()\n  error('boom')\nend)\n";
    const fs::path failed = dir / "failed.png";
    fs::remove(failed);
    CHECK(run_app("--export-stage '" + failed.string() + "' --at 0 '" + failing.string() + "'") ==
          1);
    CHECK(fs::exists(failed));

    // Bad command lines and unwritable files: 2, nothing written.
    const std::string pool = scenario_path("worker_pool.lua");
    CHECK(run_app("--export-stage '" + (dir / "a.png").string() + "' " + pool) == 2);  // no --at
    CHECK(run_app("--at 3 " + pool) == 2);                                             // --at alone
    CHECK(run_app("--export-stage '" + (dir / "a.png").string() + "' --at soon " + pool) == 2);
    CHECK(run_app("--export-stage '" + (dir / "a.svg").string() + "' --at 3 " + pool) == 2);
    CHECK(run_app("--export '" + (dir / "t.png").string() + "' --export-stage '" +
                  (dir / "a.png").string() + "' --at 3 " + pool) == 2);
    CHECK_FALSE(fs::exists(dir / "a.png"));
    CHECK(run_app("--export-stage '" + (dir / "no" / "such" / "dir.png").string() + "' --at 3 " +
                  pool) == 2);
}

TEST_CASE("the stage's hover text names every branch a select waits on", "[gui][stage]") {
    auto model = std::make_shared<view::RunModel>();
    lua::ScenarioOptions options;
    options.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/select_race.lua";
    options.sinks.push_back(model.get());
    REQUIRE(lua::run_scenario(options).exit_code() == 0);
    ui::StageView view;
    view.set_model(model, QStringLiteral("select_race"));
    view.setTime(5'000'000);  // main waits for reply 1, racing its 12 ms timer
    const QString text = view.describe(1);
    INFO(text.toStdString());
    CHECK(text.startsWith(QStringLiteral("main (#1): waiting to receive on reply 1")));
    CHECK(text.contains(QStringLiteral("in a select, waiting on each of: recv on reply 1, sleep")));
    // Outside a select there is no such line.
    CHECK_FALSE(view.describe(2).contains(QStringLiteral("select")));
}

TEST_CASE("a task waiting in a select wears a badge with its branch count", "[gui][stage]") {
    const view::RunModel& m = scenario_model("select_race.lua");
    const view::StageIndex index(m);
    const view::StageSnapshot s = index.at(5 * kMs, 0);  // main races reply 1 against a timer
    StagePainter r(index);
    const int width = 1200;
    const QImage image = paint(r, s, width, static_cast<int>(r.height_for_width(width)));
    // Inside the badge's pill, left of its digit: the badge colour on main's chip
    // (task 1, in the select), not on backend's (task 2, waiting on one channel).
    auto badge_pixel = [&](TaskId task) {
        const view::TaskChip* chip = s.chip(task);
        REQUIRE(chip);
        const QPointF c = r.layout(width).place(chip->to, s).centre +
                          QPointF(stage::kChipWidth / 2 - 3 - 5, -stage::kChipHeight / 2 + 1);
        return image.pixelColor(c.toPoint());
    };
    CHECK(badge_pixel(1) == Theme::light().text_dim);
    CHECK(badge_pixel(2) != Theme::light().text_dim);
}

TEST_CASE("the stage draws a thread's LIFO slot and queue only under work-stealing",
          "[gui][stage]") {
    for (const Policy policy :
         {Policy::work_stealing, Policy::global_queue, Policy::current_thread}) {
        INFO(to_string(policy));
        const view::RunModel& m = scenario_model("worker_pool.lua", policy);
        const view::StageIndex index(m);
        const StagePainter r(index);
        const QStringList texts = drawn_texts(r, index.at(3 * kMs, 0), 1200);
        const auto threads = static_cast<int>(texts.count(QStringLiteral("runs")));
        CHECK(threads == (policy == Policy::current_thread ? 1 : 4));
        const bool own = policy == Policy::work_stealing;
        CHECK(texts.count(QStringLiteral("LIFO")) == (own ? threads : 0));
        CHECK(texts.count(QStringLiteral("queue")) == (own ? threads : 0));
        CHECK(texts.contains(QStringLiteral("global queue")));
    }
}

TEST_CASE("stage chips take the room their names need, and shorten alike names apart",
          "[gui][stage][label]") {
    // deadlock: "transfer a->b" and "transfer b->a" were "trans… a->b" / "trans… b->a".
    const view::RunModel& m = scenario_model("deadlock.lua");
    const view::StageIndex index(m);
    const StagePainter r(index);
    int transfers = 0;
    for (const view::TaskInfo& t : m.tasks()) {
        if (t.name.rfind("transfer", 0) != 0) continue;
        ++transfers;
        CHECK(r.chip_name(t.id) == QString::fromStdString(t.name));
    }
    CHECK(transfers == 2);
    CHECK(r.chip_width() > stage::kChipWidth);
    CHECK(r.layout(1200).chip_width == r.chip_width());
    const QStringList texts = drawn_texts(r, index.at(m.end_time(), 0), 1200);
    CHECK(texts.contains(QStringLiteral("transfer a->b")));
    CHECK(texts.contains(QStringLiteral("transfer b->a")));

    // Names too long for the widest chip keep the part that tells them apart.
    view::RunModel longer;
    spindle::test::EventFeeder f(longer);
    f.emit_event(EventKind::run_start, 0, kNoWorker, 0, 0, 1, 1, "workers=1");
    f.emit_event(EventKind::worker_start, 0, 0);
    f.emit_event(EventKind::task_spawn, 0, kNoWorker, 1, 0, 0, 0,
                 "a rather long connection handler 1");
    f.emit_event(EventKind::task_spawn, 0, kNoWorker, 2, 0, 0, 1,
                 "a rather long connection handler 2");
    f.emit_event(EventKind::run_end, 10, kNoWorker, 0, 0);
    longer.on_finish();
    const view::StageIndex long_index(longer);
    const StagePainter lr(long_index);
    CHECK(lr.chip_width() == stage::kMaxChipWidth);
    for (TaskId id : {TaskId{1}, TaskId{2}}) {
        const QString name = lr.chip_name(id);
        INFO(name.toStdString());
        CHECK(name.contains(QChar(u'…')));
        CHECK(name.endsWith(QString::number(id)));
    }
}
