// `spindle --export` as a user runs it: files written and exit codes.
#include <catch2/catch.hpp>

#include "../support/command_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <QImage>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path kSource = SPINDLE_SOURCE_DIR;

using test_support::Output;
using test_support::slurp;

fs::path temp_dir() {
    return test_support::temp_dir("spindle-export-test-");
}

std::string quote(const fs::path& p) {
    return "'" + p.string() + "'";
}

/// Runs `spindle ARGS` with no display and no platform set (as on a headless server).
Output run(const std::string& args) {
    return test_support::run_command("env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM '" +
                                         std::string(SPINDLE_APP_PATH) + "' " + args,
                                     temp_dir());
}

fs::path scenario(const std::string& name) {
    return kSource / "scenarios" / name;
}

fs::path fresh(const std::string& name) {
    const fs::path p = temp_dir() / name;
    fs::remove(p);
    return p;
}

bool is_png(const fs::path& p) {
    QImage image;
    return image.load(QString::fromStdString(p.string())) && image.width() > 0;
}

}  // namespace

TEST_CASE("spindle --export writes the image and prints its path", "[gui][cli]") {
    const fs::path out = fresh("wp.png");
    const Output o = run("--export " + quote(out) + " --width 800 --pixel-ratio 1 " +
                         quote(scenario("worker_pool.lua")));
    INFO(o.err);
    CHECK(o.code == 0);
    CHECK(is_png(out));
    CHECK(o.out == out.string() + "\n");
    CHECK(o.err.empty());
    QImage image(QString::fromStdString(out.string()));
    CHECK(image.width() == 800);
}

TEST_CASE("spindle --export with the default scenario, overrides and a range", "[gui][cli]") {
    const fs::path out = fresh("default.svg");
    const Output o = run("--export " + quote(out) +
                         " --seed 7 --workers 2 --policy global-queue "
                         "--range 0.5:3.25");
    INFO(o.err);
    CHECK(o.code == 0);
    const std::string svg = slurp(out);
    CHECK(svg.find("worker_pool") != std::string::npos);
    CHECK(svg.find("thread 1") != std::string::npos);
    CHECK(svg.find("thread 2") == std::string::npos);  // --workers 2
    CHECK(svg.find("global-queue") != std::string::npos);
}

TEST_CASE("spindle --export exit codes: deadlock 3, failure 1, still writing the image",
          "[gui][cli]") {
    const fs::path dead = fresh("deadlock.png");
    Output o = run("--export " + quote(dead) + " " + quote(scenario("deadlock.lua")));
    CHECK(o.code == 3);
    CHECK(is_png(dead));
    CHECK(o.err.find("transfer a->b") != std::string::npos);

    const fs::path script = temp_dir() / "broken.lua";
    std::ofstream(script) << "local x = = 1\n";
    const fs::path broken = fresh("broken.png");
    o = run("--export " + quote(broken) + " " + quote(script));
    CHECK(o.code == 1);
    CHECK(is_png(broken));
    CHECK(o.err.find("broken.lua") != std::string::npos);

    const fs::path failing_script = temp_dir() / "failing.lua";
    std::ofstream(failing_script) << "spawn('t', function()\n  error('boom')\nend)\n";
    const fs::path failing = fresh("failing.png");
    o = run("--export " + quote(failing) + " " + quote(failing_script));
    CHECK(o.code == 1);
    CHECK(is_png(failing));
    CHECK(o.err.find("failing.lua:2: boom") != std::string::npos);
}

TEST_CASE("spindle --export exit code 2: bad command line, unreadable file, unwritable image",
          "[gui][cli]") {
    const fs::path out = fresh("nothing.png");
    Output o = run("--export " + quote(out) + " " + quote(temp_dir() / "no-such-file.lua"));
    CHECK(o.code == 2);
    CHECK_FALSE(fs::exists(out));

    o = run("--export " + quote(out) + " --range 5:2 " + quote(scenario("worker_pool.lua")));
    CHECK(o.code == 2);
    CHECK(o.err.find("--range") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    for (const char* bad : {"abc", "1:", ":2", "1:2:3", "-1:2"}) {
        o = run("--export " + quote(out) + " --range '" + bad + "'");
        CHECK(o.code == 2);
    }
    CHECK_FALSE(fs::exists(out));

    o = run("--export " + quote(temp_dir() / "out.bmp") + " " + quote(scenario("worker_pool.lua")));
    CHECK(o.code == 2);
    CHECK(o.err.find("unsupported format") != std::string::npos);
    CHECK_FALSE(fs::exists(temp_dir() / "out.bmp"));

    o = run("--export " + quote(temp_dir() / "no/dir/out.png") + " " +
            quote(scenario("worker_pool.lua")));
    CHECK(o.code == 2);
    CHECK(o.err.find("cannot write") != std::string::npos);

    o = run("--export " + quote(out) + " --width 12 " + quote(scenario("worker_pool.lua")));
    CHECK(o.code == 2);
    o = run("--export " + quote(out) + " --policy fastest " + quote(scenario("worker_pool.lua")));
    CHECK(o.code == 2);
    o = run("--no-such-option");
    CHECK(o.code == 2);
    o = run("--export " + quote(out) + " a.lua b.lua");
    CHECK(o.code == 2);
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("spindle without a display asks for --export, and --help lists the exit codes",
          "[gui][cli]") {
    Output o = run(quote(scenario("worker_pool.lua")));
    CHECK(o.code == 2);
    CHECK(o.err.find("no display: use --export") != std::string::npos);

    o = run("--help");
    CHECK(o.code == 0);
    CHECK(o.out.find("--export") != std::string::npos);
    CHECK(o.out.find("Exit status") != std::string::npos);
    CHECK(o.out.find("3  deadlock") != std::string::npos);

    o = run("--version");
    CHECK(o.code == 0);
    CHECK(o.out.rfind("spindle ", 0) == 0);
}

TEST_CASE("spindle --export opens native traces recorded by spindle-run", "[gui][cli]") {
    const fs::path trace = fresh("deadlock.spt");
    const std::string record = std::string("'") + SPINDLE_RUN_PATH + "' -q --trace " +
                               quote(trace) + " " + quote(scenario("deadlock.lua")) +
                               " >/dev/null 2>&1";
    const int status = std::system(record.c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 3);
    REQUIRE(fs::exists(trace));

    const fs::path out = fresh("from-trace.png");
    Output o = run("--export " + quote(out) + " " + quote(trace));
    INFO(o.err);
    CHECK(o.code == 3);  // the recorded run's outcome
    CHECK(is_png(out));

    // Overrides cannot change a recorded run; a broken trace is unreadable.
    const fs::path again = fresh("again.png");
    o = run("--export " + quote(again) + " --seed 3 " + quote(trace));
    CHECK(o.code == 2);
    const fs::path broken = temp_dir() / "broken.spt";
    std::ofstream(broken) << "not a trace";
    o = run("--export " + quote(again) + " " + quote(broken));
    CHECK(o.code == 2);
    CHECK(o.err.find("cannot read the trace") != std::string::npos);
    CHECK_FALSE(fs::exists(again));
}

TEST_CASE("spindle --export --theme dark paints the picture dark, light is the default",
          "[gui][cli]") {
    const fs::path dark = temp_dir() / "dark.png", light = temp_dir() / "light.png";
    const std::string args = " --width 800 --pixel-ratio 1 " + quote(scenario("select_race.lua"));
    REQUIRE(run("--export " + quote(dark) + " --theme dark" + args).code == 0);
    REQUIRE(run("--export " + quote(light) + args).code == 0);
    const QImage d(QString::fromStdString(dark.string()));
    const QImage l(QString::fromStdString(light.string()));
    REQUIRE(!d.isNull());
    REQUIRE(!l.isNull());
    CHECK(d.pixelColor(2, 2).lightness() < 80);
    CHECK(l.pixelColor(2, 2).lightness() > 200);
    CHECK(run("--export " + quote(dark) + " --theme blue" + args).code == 2);
    const Output o = run("--theme dark " + quote(scenario("select_race.lua")));
    CHECK(o.code == 2);
    CHECK(o.err.find("--theme applies to --export") != std::string::npos);
}

TEST_CASE("spindle --export --wake-arrows --critical-path draw what the window can show",
          "[gui][cli]") {
    const fs::path plain = fresh("plain.svg"), marked = fresh("marked.svg");
    const std::string file = " " + quote(scenario("backpressure.lua"));
    REQUIRE(run("--export " + quote(plain) + file).code == 0);
    const Output o =
        run("--export " + quote(marked) + " --wake-arrows --critical-path main" + file);
    INFO(o.err);
    REQUIRE(o.code == 0);
    const std::string a = slurp(plain), b = slurp(marked);
    // The legend says what the extra marks are: a picture must explain itself.
    CHECK(a.find("critical path of") == std::string::npos);
    CHECK(a.find("next poll") == std::string::npos);
    CHECK(b.find("critical path of main") != std::string::npos);
    CHECK(b.find("queued while a worker sat idle") != std::string::npos);
    CHECK(b.find("next poll") != std::string::npos);
    // By id as well; the same picture.
    const fs::path by_id = fresh("by_id.svg");
    REQUIRE(run("--export " + quote(by_id) + " --wake-arrows --critical-path '#1'" + file).code ==
            0);
    CHECK(slurp(by_id) == b);

    Output bad = run("--export " + quote(fresh("x.png")) + " --critical-path nobody" + file);
    CHECK(bad.code == 2);
    CHECK(bad.err.find("no task 'nobody'") != std::string::npos);
    CHECK_FALSE(fs::exists(temp_dir() / "x.png"));
    bad = run("--export " + quote(fresh("x.png")) + " --critical-path '#999'" + file);
    CHECK(bad.code == 2);
    bad = run("--wake-arrows" + file);
    CHECK(bad.code == 2);
    CHECK(bad.err.find("apply to --export") != std::string::npos);
    bad = run("--export-stage " + quote(fresh("s.png")) + " --at 1 --critical-path main" + file);
    CHECK(bad.code == 2);
}

TEST_CASE("spindle --export of an empty script says that nothing happened", "[gui][cli]") {
    const fs::path script = temp_dir() / "empty.lua";
    std::ofstream(script) << "";
    const fs::path out = fresh("empty.png");
    const Output o = run("--export " + quote(out) + " " + quote(script));
    CHECK(o.code == 0);
    CHECK(is_png(out));
    CHECK(o.err.find("note: the run spawned no task and printed nothing") != std::string::npos);
}

TEST_CASE("spindle --export --max-wall-ms bounds a run that never stops", "[gui][cli]") {
    // Yields forever: no instruction budget trips, only the wall clock can end it.
    const fs::path script = temp_dir() / "spin_yield.lua";
    std::ofstream(script) << "spawn('spin', function() while true do yield_now() end end)\n";
    const fs::path out = fresh("spin.png");
    const auto started = std::chrono::steady_clock::now();
    const Output o = run("--export " + quote(out) + " --max-wall-ms 300 " + quote(script));
    const auto took = std::chrono::steady_clock::now() - started;
    INFO(o.err);
    CHECK(o.code == 4);
    CHECK(o.err.find("wall-clock budget") != std::string::npos);
    CHECK(is_png(out));  // the picture of what ran is still written
    CHECK(took < std::chrono::seconds(30));

    const Output bad = run("--export " + quote(out) + " --max-wall-ms 0 " + quote(script));
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--max-wall-ms expects") != std::string::npos);
}

TEST_CASE("spindle --export takes spindle-run's other budgets", "[gui][cli]") {
    // A heap bomb: only --max-heap-mb ends it before the default 512 MiB.
    const fs::path bomb = temp_dir() / "heap_bomb.lua";
    std::ofstream(bomb) << "local t = {}\nfor i = 1, 1e9 do t[i] = ('x'):rep(64) .. i end\n";
    const fs::path out = fresh("bomb.png");
    Output o = run("--export " + quote(out) + " --max-heap-mb 16 " + quote(bomb));
    INFO(o.err);
    CHECK(o.code == 4);
    CHECK(o.err.find("heap budget of 16 MiB") != std::string::npos);
    CHECK(is_png(out));

    // A task that never waits: the instruction budget fails it.
    const fs::path spin = temp_dir() / "spin_loop.lua";
    std::ofstream(spin) << "spawn('spin', function() while true do end end)\n";
    o = run("--export " + quote(out) + " --max-instructions 100000 " + quote(spin));
    CHECK(o.code == 1);
    CHECK(o.err.find("instruction budget") != std::string::npos);

    // The virtual-time and event budgets end a run that would go on.
    const fs::path ticker = temp_dir() / "ticker.lua";
    std::ofstream(ticker) << "while true do sleep(1) end\n";
    CHECK(run("--export " + quote(out) + " --max-time-ms 50 " + quote(ticker)).code == 4);
    CHECK(run("--export " + quote(out) + " --max-events 500 " + quote(ticker)).code == 4);

    for (const char* bad :
         {"--max-heap-mb 0", "--max-instructions 999", "--max-time-ms x", "--max-events -1"}) {
        const Output b = run("--export " + quote(out) + " " + bad + " " + quote(ticker));
        INFO(bad);
        CHECK(b.code == 2);
        CHECK(b.err.find(std::string(bad).substr(0, std::string(bad).find(' ')) + " expects") !=
              std::string::npos);
    }
}
