// ScenarioRunner: runs on its own thread and hands back a finished model and a
// report — for a good scenario, a bad file, a script that does not compile, a
// native trace, and a run cancelled half-way.
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <sys/stat.h>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "scenario_runner.h"
#include "spindle/instrument/trace_file.h"

using namespace spindle;
using namespace spindle::ui;

namespace {

/// What one run delivered.
struct Outcome {
    std::shared_ptr<const view::RunModel> model;
    std::shared_ptr<const RunReport> report;
    int progress_signals = 0;
};

/// Processes events until `done` or the timeout; true when done.
bool wait_until(const std::function<bool()>& done, int timeout_ms = 30000) {
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeout_ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return done();
}

Outcome run(ScenarioRunner& runner, RunRequest request) {
    auto out = std::make_shared<Outcome>();
    auto c1 = QObject::connect(&runner, &ScenarioRunner::finished, &runner,
                               [out](auto model, auto report) {
                                   out->model = std::move(model);
                                   out->report = std::move(report);
                               });
    auto c2 = QObject::connect(&runner, &ScenarioRunner::progress, &runner,
                               [out](quint64, qint64) { ++out->progress_signals; });
    runner.start(std::move(request));
    const bool finished = wait_until([&] { return out->report != nullptr; });
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    REQUIRE(finished);
    return *out;
}

std::string scenario(const char* name) {
    return std::string(SPINDLE_SOURCE_DIR "/scenarios/") + name;
}

}  // namespace

TEST_CASE("runner: a scenario file runs off the GUI thread into a finished model", "[runner]") {
    ScenarioRunner runner;
    RunRequest request;
    request.path = scenario("worker_pool.lua");
    const Outcome out = run(runner, request);
    REQUIRE(out.model);
    CHECK(out.model->finished());
    CHECK(out.report->status == session::RunStatus::completed);
    CHECK(out.report->name == "worker_pool");
    CHECK(out.report->events == out.model->run().events);
    CHECK(out.model->tasks().size() == 6);
    CHECK(out.progress_signals >= 1);
    CHECK_FALSE(runner.running());
    // The run was written to a temporary trace as it went, for Save Trace.
    REQUIRE(out.report->has_trace());
    const TraceReadResult read = read_trace(std::filesystem::path(out.report->trace->path()));
    REQUIRE(read);
    CHECK(read.trace->events.size() == out.report->events);
}

TEST_CASE("runner: toolbar overrides win over the script's settings", "[runner]") {
    ScenarioRunner runner;
    RunRequest request;
    request.path = scenario("worker_pool.lua");
    request.overrides.workers = 2;
    request.overrides.seed = 99;
    request.overrides.policy = Policy::global_queue;
    const Outcome out = run(runner, request);
    CHECK(out.report->config.workers == 2);
    CHECK(out.report->config.seed == 99);
    CHECK(out.report->config.policy == Policy::global_queue);
    CHECK(out.model->run().workers == 2);
}

TEST_CASE("runner: bad files give error results, never a crash", "[runner]") {
    ScenarioRunner runner;
    RunRequest missing;
    missing.path = "/nonexistent/dir/none.lua";
    const Outcome a = run(runner, missing);
    CHECK(a.report->status == session::RunStatus::load_error);
    REQUIRE(a.report->errors.size() == 1);
    CHECK(a.model->tasks().empty());

    RunRequest broken;
    broken.source = RunRequest::Source::scenario_source;
    broken.path = "broken.lua";
    broken.text = "scenario{ name = 'broken' }\nlocal x = = 1\n";
    const Outcome b = run(runner, broken);
    CHECK(b.report->status == session::RunStatus::compile_error);
    CHECK(b.report->exit_code() == 1);
    REQUIRE_FALSE(b.report->errors.empty());
    CHECK(b.report->errors.front().rfind("broken.lua:2:", 0) == 0);

    RunRequest not_a_trace;
    not_a_trace.source = RunRequest::Source::trace_file;
    not_a_trace.path = scenario("worker_pool.lua");
    const Outcome c = run(runner, not_a_trace);
    CHECK(c.report->status == session::RunStatus::load_error);
    REQUIRE(c.report->errors.size() == 1);
    CHECK(c.report->errors.front().find("bad_magic") != std::string::npos);

    // A pipe is refused before anything opens it (opening it would wait for a writer).
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const std::string fifo = dir.filePath(QStringLiteral("pipe")).toStdString();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    RunRequest pipe;
    pipe.path = fifo;
    const Outcome d = run(runner, pipe);
    CHECK(d.report->status == session::RunStatus::load_error);
}

TEST_CASE("runner: a native trace replays into the same model as the live run", "[runner]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("deadlock.spt"));
    lua::ScenarioResult live;
    {
        TraceWriter writer(std::filesystem::path(path.toStdString()));
        lua::ScenarioOptions options;
        options.path = scenario("deadlock.lua");
        options.sinks.push_back(&writer);
        live = lua::run_scenario(options);
        REQUIRE(writer.ok());
    }
    REQUIRE(live.deadlock);

    ScenarioRunner runner;
    RunRequest request;
    request.source = RunRequest::Source::trace_file;
    request.path = path.toStdString();
    const Outcome out = run(runner, request);
    CHECK(out.report->from_trace());
    CHECK(out.report->status == session::RunStatus::deadlock);
    CHECK(out.report->events == live.events);
    // The deadlock report is rebuilt from the events, cycle included.
    REQUIRE(out.report->deadlock);
    CHECK(out.report->deadlock->tasks.size() == live.deadlock->tasks.size());
    CHECK(out.report->deadlock->cycle.size() == live.deadlock->cycle.size());
    // Save Trace and the exports read the run's trace: the opened file, byte for byte.
    REQUIRE(out.report->has_trace());
    QFile opened(path), kept(QString::fromStdString(out.report->trace->path().string()));
    REQUIRE(opened.open(QIODevice::ReadOnly));
    REQUIRE(kept.open(QIODevice::ReadOnly));
    CHECK(kept.readAll() == opened.readAll());
}

TEST_CASE("runner: a trace read says how much of the file is decoded, and can be cancelled",
          "[runner]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("busy.spt")).toStdString();
    {
        TraceWriter writer{std::filesystem::path(path)};
        lua::ScenarioOptions options;
        options.path = "busy.lua";
        options.sinks.push_back(&writer);
        const lua::ScenarioResult live = lua::run_scenario_source(
            "for t = 1, 4 do spawn('spin', function() for i = 1, 2500 do yield_now() end end) "
            "end\n",
            "busy.lua", options);
        writer.on_finish();
        REQUIRE(writer.ok());
        REQUIRE(live.events > 30000);
    }
    const auto size = static_cast<quint64>(std::filesystem::file_size(path));
    RunRequest request;
    request.source = RunRequest::Source::trace_file;
    request.path = path;
    ScenarioRunner runner;
    std::vector<std::pair<quint64, quint64>> seen;
    QObject::connect(&runner, &ScenarioRunner::reading, &runner,
                     [&](quint64 bytes, quint64 total) { seen.emplace_back(bytes, total); });

    SECTION("progress goes forward to the whole file") {
        const Outcome out = run(runner, request);
        CHECK(out.report->status == session::RunStatus::completed);
        REQUIRE_FALSE(seen.empty());
        for (std::size_t i = 1; i < seen.size(); ++i)
            CHECK(seen[i].first >= seen[i - 1].first);
        for (const auto& [bytes, total] : seen)
            CHECK(total == size);
        CHECK(seen.back().first == size);
    }
    SECTION("cancel stops the read and shows what was read") {
        auto out = std::make_shared<Outcome>();
        QObject::connect(&runner, &ScenarioRunner::finished, &runner,
                         [out](auto model, auto report) {
                             out->model = std::move(model);
                             out->report = std::move(report);
                         });
        runner.start(request);
        runner.cancel();
        REQUIRE(wait_until([&] { return out->report != nullptr; }));
        CHECK(out->report->status == session::RunStatus::cancelled);
        CHECK(out->model->run().events > 0);
        CHECK(out->model->run().events <= 4096);
        REQUIRE_FALSE(seen.empty());
        CHECK(seen.back().first < size);
    }
}

TEST_CASE("runner: cancel stops a long run and still delivers what ran", "[runner]") {
    ScenarioRunner runner;
    RunRequest request;
    request.source = RunRequest::Source::scenario_source;
    request.path = "forever.lua";
    request.text =
        "scenario{ name = 'forever', workers = 2 }\n"
        "for i = 1, 2 do spawn('spin ' .. i, function() while true do yield_now() end end) end\n";
    auto out = std::make_shared<Outcome>();
    QObject::connect(&runner, &ScenarioRunner::finished, &runner, [out](auto model, auto report) {
        out->model = std::move(model);
        out->report = std::move(report);
    });
    runner.start(request);
    CHECK(runner.running());
    QThread::msleep(200);
    runner.cancel();
    const bool finished = wait_until([&] { return out->report != nullptr; });
    REQUIRE(finished);
    CHECK(out->report->status == session::RunStatus::cancelled);
    CHECK(out->report->cancelled());
    CHECK(out->report->exit_code() == 4);
    CHECK(out->model->run().events > 0);
    CHECK_FALSE(runner.running());
}

TEST_CASE("runner: a new run supersedes the one in progress", "[runner]") {
    ScenarioRunner runner;
    int finished = 0;
    std::shared_ptr<const RunReport> last;
    QObject::connect(&runner, &ScenarioRunner::finished, &runner, [&](auto, auto report) {
        ++finished;
        last = std::move(report);
    });
    RunRequest slow;
    slow.source = RunRequest::Source::scenario_source;
    slow.path = "forever.lua";
    slow.text = "spawn('spin', function() while true do yield_now() end end)\n";
    runner.start(slow);
    RunRequest quick;
    quick.path = scenario("worker_pool.lua");
    runner.start(quick);
    const bool done = wait_until([&] { return finished > 0 && !runner.running(); });
    REQUIRE(done);
    QCoreApplication::processEvents();
    CHECK(finished == 1);  // only the newer run reports
    CHECK(last->name == "worker_pool");
}

TEST_CASE("runner: traces a crashed session left behind are swept after a day", "[runner]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    auto make = [&dir](const QString& name, int days_old) {
        QFile f(dir.filePath(name));
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("x");
        f.flush();  // or closing would write, and date it now
        f.setFileTime(QDateTime::currentDateTime().addDays(-days_old),
                      QFileDevice::FileModificationTime);
    };
    make(QStringLiteral("spindle-run-old.spt"), 3);
    make(QStringLiteral("spindle-run-fresh.spt"), 0);  // another instance may be writing it
    make(QStringLiteral("mine-old.spt"), 3);           // not ours
    CHECK(ScenarioRunner::remove_stale_traces(dir.path()) == 1);
    CHECK_FALSE(QFile::exists(dir.filePath(QStringLiteral("spindle-run-old.spt"))));
    CHECK(QFile::exists(dir.filePath(QStringLiteral("spindle-run-fresh.spt"))));
    CHECK(QFile::exists(dir.filePath(QStringLiteral("mine-old.spt"))));
}
