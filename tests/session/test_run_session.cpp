// run_session: one way to run a scenario or read a trace, for every front end.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "../support/write_failures.h"
#include "atomic_write.h"
#include "outcome.h"
#include "run_limits.h"
#include "run_session.h"
#include "spindle/instrument/trace_file.h"

using namespace spindle;
using session::RunRequest;
using session::RunStatus;
namespace fs = std::filesystem;

namespace {

fs::path scenario(const char* name) {
    return fs::path(SPINDLE_SOURCE_DIR) / "scenarios" / name;
}

fs::path scratch(const char* name) {
    const fs::path dir = fs::temp_directory_path() / "spindle-session-tests";
    fs::create_directories(dir);
    fs::remove_all(dir / name);
    test_support::remove_temporaries_beside(dir / name);  // a killed earlier run's
    return dir / name;
}

RunRequest source(const char* name, std::string text) {
    RunRequest r;
    r.source = RunRequest::Source::scenario_source;
    r.path = name;
    r.text = std::move(text);
    return r;
}

/// Records `file`'s run as a trace at `trace`; returns the live session.
session::Session record(const fs::path& file, const fs::path& trace) {
    TraceWriter writer(trace);
    RunRequest r;
    r.path = file;
    session::SessionOptions o;
    o.sinks.push_back(&writer);
    session::Session s = session::run_session(r, o);
    REQUIRE(writer.ok());
    return s;
}

}  // namespace

TEST_CASE("outcome: one table of statuses, exit codes and words", "[session]") {
    using session::exit_code;
    CHECK(exit_code(RunStatus::completed) == 0);
    CHECK(exit_code(RunStatus::failed) == 1);
    CHECK(exit_code(RunStatus::compile_error) == 1);
    CHECK(exit_code(RunStatus::bad_settings) == 1);
    CHECK(exit_code(RunStatus::load_error) == 2);
    CHECK(exit_code(RunStatus::deadlock) == 3);
    CHECK(exit_code(RunStatus::budget_exceeded) == 4);
    CHECK(exit_code(RunStatus::cancelled) == 4);
    CHECK(session::word(RunStatus::cancelled) == "cancelled");
    CHECK(session::word(RunStatus::budget_exceeded) == "budget exceeded");
    CHECK(session::ran(RunStatus::cancelled));
    CHECK_FALSE(session::ran(RunStatus::compile_error));
    CHECK(session::status_of(RunOutcome::deadlock) == RunStatus::deadlock);
    CHECK(session::first_line("a\nb") == "a");
    CHECK(session::first_line("no newline") == "no newline");
}

TEST_CASE("run_session: a scenario file gives a model, a summary and a report", "[session]") {
    RunRequest r;
    r.path = scenario("worker_pool.lua");
    const session::Session s = session::run_session(r);
    CHECK(s.report.status == RunStatus::completed);
    CHECK(s.report.request.source == RunRequest::Source::scenario_file);
    CHECK(s.report.name == "worker_pool");
    REQUIRE(s.model);
    CHECK(s.model->run().started);
    CHECK(s.model->run().events == s.report.events);
    CHECK(s.summary().run().events == s.report.events);
    CHECK(s.report.diagnostics().empty());
    CHECK(s.report.headline().text == s.report.description);
    CHECK_FALSE(s.report.headline().alert);

    session::SessionOptions bare;
    bare.build_model = false;
    const session::Session quick = session::run_session(r, bare);
    CHECK_FALSE(quick.model);
    REQUIRE(quick.own_summary);
    CHECK(quick.summary().run().events == s.report.events);
}

TEST_CASE("run_session: a trace reads back with the live run's report", "[session]") {
    const fs::path trace = scratch("deadlock.spt");
    const session::Session live = record(scenario("deadlock.lua"), trace);
    REQUIRE(live.report.status == RunStatus::deadlock);

    // Found by its contents, whatever it is called.
    const fs::path renamed = scratch("deadlock-trace");
    fs::copy_file(trace, renamed);
    CHECK(session::looks_like_trace(trace));
    CHECK(session::looks_like_trace(renamed));
    CHECK_FALSE(session::looks_like_trace(scenario("deadlock.lua")));
    CHECK_FALSE(session::looks_like_trace(scratch("missing")));

    RunRequest r;
    r.path = renamed;
    const session::Session read = session::run_session(r);
    CHECK(read.report.from_trace());
    CHECK(read.report.status == RunStatus::deadlock);
    CHECK(read.report.exit_code() == 3);
    CHECK(read.report.events == live.report.events);
    REQUIRE(read.report.deadlock);
    CHECK(read.report.deadlock->cycle == live.report.deadlock->cycle);
    // The same words on stderr and under the picture as the live run's.
    CHECK(read.report.diagnostics() == live.report.diagnostics());
    CHECK(read.report.headline().text == live.report.headline().text);
    CHECK(read.report.headline().alert);
    CHECK(read.summary().run().events == live.summary().run().events);
}

TEST_CASE("run_session: a trace decoded on the calling thread reads as with read-ahead",
          "[session]") {
    const fs::path trace = scratch("worker_pool.spt");
    record(scenario("worker_pool.lua"), trace);
    RunRequest r;
    r.path = trace;
    session::SessionOptions ahead, inline_read;
    inline_read.read_ahead = false;
    std::uint64_t last_done = 0, total = 0;
    inline_read.read_progress = [&](std::uint64_t done, std::uint64_t all) {
        CHECK(done >= last_done);
        last_done = done;
        total = all;
    };
    const session::Session a = session::run_session(r, ahead);
    const session::Session b = session::run_session(r, inline_read);
    CHECK(b.report.status == a.report.status);
    CHECK(b.report.events == a.report.events);
    CHECK(b.report.diagnostics() == a.report.diagnostics());
    REQUIRE(a.model);
    REQUIRE(b.model);
    CHECK(b.model->tasks().size() == a.model->tasks().size());
    CHECK(b.model->run().end == a.model->run().end);
    CHECK(total == fs::file_size(trace));
    CHECK(last_done == total);

    // A damaged file: the same error either way.
    const fs::path cut = scratch("worker_pool-cut.spt");
    fs::copy_file(trace, cut);
    fs::resize_file(cut, fs::file_size(trace) / 2);
    r.path = cut;
    const session::Session ca = session::run_session(r, ahead);
    inline_read.read_progress = nullptr;
    const session::Session cb = session::run_session(r, inline_read);
    CHECK(ca.report.status == RunStatus::load_error);
    CHECK(cb.report.errors == ca.report.errors);
}

TEST_CASE("run_session: bad input is a status, never a throw", "[session]") {
    RunRequest missing;
    missing.path = "/nonexistent/none.lua";
    const session::Session a = session::run_session(missing);
    CHECK(a.report.status == RunStatus::load_error);
    CHECK(a.report.exit_code() == 2);
    CHECK_FALSE(a.report.ran());

    const session::Session b = session::run_session(source("broken.lua", "local x = = 1\n"));
    CHECK(b.report.status == RunStatus::compile_error);
    CHECK(b.report.headline().text.rfind("broken.lua:1:", 0) == 0);
    CHECK(b.report.headline().alert);

    const session::Session c =
        session::run_session(source("bad.lua", "scenario{ workers = 257 }\n"));
    CHECK(c.report.status == RunStatus::bad_settings);
    CHECK(c.report.errors.front().find("1 to 256") != std::string::npos);

    const fs::path broken = scratch("broken.spt");
    std::ofstream(broken) << "not a trace";
    RunRequest d;
    d.path = broken;
    const session::Session ds = session::run_session(d);
    CHECK(ds.report.status == RunStatus::load_error);
    CHECK(ds.report.errors.front().find("cannot read the trace") != std::string::npos);

    // A recorded run cannot be re-scheduled.
    const fs::path trace = scratch("pool.spt");
    record(scenario("worker_pool.lua"), trace);
    RunRequest e;
    e.path = trace;
    e.overrides.seed = 3;
    CHECK(session::run_session(e).report.status == RunStatus::load_error);
}

TEST_CASE("run_session: cancelled and over budget are different states", "[session]") {
    const std::string forever = "spawn('spin', function() while true do yield_now() end end)\n";
    std::atomic<bool> cancel{true};
    session::SessionOptions o;
    o.cancel = &cancel;
    const session::Session a = session::run_session(source("forever.lua", forever), o);
    CHECK(a.report.status == RunStatus::cancelled);
    CHECK(a.report.cancelled());
    CHECK(a.report.exit_code() == 4);

    RunRequest limited = source("forever.lua", forever);
    limited.budgets.events = 1000;
    const session::Session b = session::run_session(limited);
    CHECK(b.report.status == RunStatus::budget_exceeded);
    CHECK_FALSE(b.report.cancelled());
    CHECK(b.report.headline().text.find("event budget") != std::string::npos);
    CHECK(b.report.diagnostics().find("budget exceeded: ") != std::string::npos);
}

std::string file_text(const fs::path& path) {
    std::ifstream in(path);
    std::string text;
    in >> text;
    return text;
}

TEST_CASE("AtomicFile: all or nothing", "[session]") {
    const fs::path target = scratch("out.txt");
    std::ofstream(target) << "old";
    {
        session::AtomicFile f(target);
        REQUIRE(f.ok());
        f.stream() << "new";
        // The bytes go to a temporary beside the target, named after it.
        CHECK(f.temporary().parent_path() == target.parent_path());
        CHECK(test_support::temporaries_beside(target) == 1);
        // Not committed: the old file stays and the temporary goes.
    }
    CHECK(test_support::temporaries_beside(target) == 0);
    CHECK(file_text(target) == "old");

    session::AtomicFile g(target);
    g.stream() << "new";
    CHECK(g.commit().empty());
    CHECK(file_text(target) == "new");
    CHECK(test_support::temporaries_beside(target) == 0);

    session::AtomicFile nowhere("/nonexistent/dir/out.txt");
    CHECK_FALSE(nowhere.ok());
    const std::string error = nowhere.commit();
    CHECK(error == "cannot write /nonexistent/dir/out.txt: No such file or directory");
}

TEST_CASE("AtomicFile: a link planted where the temporary was never written through", "[session]") {
    // The temporary used to be the predictable "TARGET.tmp", opened with O_TRUNC: a
    // link planted under that name made the writer truncate and fill whatever it
    // pointed at. The temporary now has a random name and is created exclusively.
    const fs::path victim = scratch("victim.txt");
    std::ofstream(victim) << "precious";
    const fs::path target = scratch("planted.spt");
    const fs::path planted = target.string() + ".tmp";
    fs::remove(planted);
    fs::create_symlink(victim, planted);
    session::AtomicFile f(target);
    REQUIRE(f.ok());
    f.stream() << "trace";
    CHECK(f.commit().empty());
    CHECK(file_text(victim) == "precious");
    CHECK(file_text(target) == "trace");
    CHECK(fs::is_symlink(fs::symlink_status(planted)));  // not ours: left alone
    fs::remove(planted);
}

TEST_CASE("AtomicFile: two writers of one target each write a whole file", "[session]") {
    const fs::path target = scratch("twice.txt");
    session::AtomicFile a(target);
    session::AtomicFile b(target);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.temporary() != b.temporary());
    a.stream() << std::string(100'000, 'a');  // more than a buffer: part is on disk
    b.stream() << std::string(100'000, 'b');
    CHECK(a.commit().empty());
    CHECK(file_text(target) == std::string(100'000, 'a'));
    CHECK(b.commit().empty());
    CHECK(file_text(target) == std::string(100'000, 'b'));
    CHECK(test_support::temporaries_beside(target) == 0);
}

TEST_CASE("AtomicFile: a new file gets the umask's mode", "[session]") {
    const fs::path target = scratch("mode.txt");
    const mode_t old = ::umask(027);
    {
        session::AtomicFile f(target);
        f.stream() << "x";
        CHECK(f.commit().empty());
    }
    ::umask(old);
    CHECK((fs::status(target).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
}

TEST_CASE("AtomicFile: a failed write fails the commit with its reason, the target kept",
          "[session]") {
    // The kernel refuses writes past RLIMIT_FSIZE (EFBIG) as it refuses writes to a
    // full disk (ENOSPC): either way the reason is reported and the old file stays.
    const fs::path target = scratch("full.svg");
    std::ofstream(target) << "old";
    std::string error, small_error;
    {
        const test_support::FileSizeLimit limit(1000);
        REQUIRE(limit.ok());
        {
            session::AtomicFile f(target);
            f.stream() << std::string(200'000, 'x');  // more than one buffer's worth
            error = f.commit();
        }
        // A small write fails at the flush in commit, just the same.
        const test_support::FileSizeLimit tiny(2);
        session::AtomicFile small(target);
        small.stream() << "tiny";
        small_error = small.commit();
    }
    CHECK(error == "cannot write " + target.string() + ": File too large");
    CHECK(small_error == error);
    CHECK(test_support::temporaries_beside(target) == 0);
    CHECK(file_text(target) == "old");
}

TEST_CASE("run_session: a run that does nothing says so", "[session]") {
    const session::Session empty = session::run_session(source("empty.lua", ""));
    CHECK(empty.report.status == RunStatus::completed);
    REQUIRE(empty.report.notes.size() == 1);
    CHECK(empty.report.diagnostics() == "note: the run spawned no task and printed nothing\n");
    CHECK(empty.report.headline().text == "the run spawned no task and printed nothing");
    CHECK_FALSE(empty.report.headline().alert);

    // Printing, or spawning, is doing something.
    CHECK(session::run_session(source("hello.lua", "print('hi')\n")).report.notes.empty());
    CHECK(session::run_session(source("spawn.lua", "spawn('t', function() end)\n"))
              .report.notes.empty());
}

TEST_CASE("run_session: devices, pipes and oversized files are refused unread", "[session]") {
    // Each would otherwise block (a FIFO with no writer) or read without end.
    for (const char* device : {"/dev/zero", "/dev/urandom"}) {
        RunRequest r;
        r.path = device;
        const session::Session s = session::run_session(r);
        INFO(device);
        CHECK(s.report.status == RunStatus::load_error);
        CHECK(s.report.exit_code() == 2);
        REQUIRE_FALSE(s.report.errors.empty());
        CHECK(s.report.errors.front().find("not a regular file") != std::string::npos);
        CHECK(s.report.errors.front().rfind(device, 0) == 0);
    }
    const fs::path fifo = scratch("pipe.lua");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    RunRequest p;
    p.path = fifo;
    const session::Session ps = session::run_session(p);
    fs::remove(fifo);
    CHECK(ps.report.status == RunStatus::load_error);

    // A script above the limit (sparse: no disk used) is refused by its size.
    const fs::path huge = scratch("huge.lua");
    std::ofstream(huge) << "print('hi')\n";
    fs::resize_file(huge, session::kMaxScriptBytes + 1);
    RunRequest h;
    h.path = huge;
    const session::Session hs = session::run_session(h);
    CHECK(hs.report.status == RunStatus::load_error);
    REQUIRE_FALSE(hs.report.errors.empty());
    CHECK(hs.report.errors.front().find("16 MiB a scenario script may have") != std::string::npos);

    // A trace above its limit, named .spt: refused with the trace's limit.
    const fs::path big = scratch("big.spt");
    std::ofstream(big) << "x";
    fs::resize_file(big, kMaxTraceFileBytes + 1);
    RunRequest t;
    t.path = big;
    const session::Session ts = session::run_session(t);
    fs::remove(big);
    CHECK(ts.report.status == RunStatus::load_error);
    REQUIRE_FALSE(ts.report.errors.empty());
    CHECK(ts.report.errors.front().find("a trace may have") != std::string::npos);
}

TEST_CASE("run_session: a run folded into a view model gets the model's event budget",
          "[session]") {
    RunRequest r = source("tiny.lua", "spawn('t', function() end)\n");
    r.budgets.events = 50'000'000;
    const session::Session with_model = session::run_session(r);
    CHECK(with_model.report.request.budgets.events == session::kMaxModelEvents);

    session::SessionOptions summary_only;
    summary_only.build_model = false;
    const session::Session without = session::run_session(r, summary_only);
    CHECK(without.report.request.budgets.events == 50'000'000);

    // A flood past the cap stops with the budget, in a bounded model.
    r.text = "local tx, rx = mpsc.unbounded()\nfor i = 1, 1e9 do tx:send(i) end\n";
    r.budgets.events = 20'000;  // the request's own, lower budget wins
    const session::Session flood = session::run_session(r);
    CHECK(flood.report.status == RunStatus::budget_exceeded);
    CHECK(flood.report.stop_reason.find("event budget") != std::string::npos);
    CHECK(flood.model->run().events <= 20'100);  // the ending events follow the stop
}

TEST_CASE("run_session: an optional model never changes how a run ends", "[session]") {
    // spindle-run wants the model for breakdowns and --explain only: a run longer than
    // the model holds goes on to its own end, and the model is dropped instead.
    RunRequest r = source("yields.lua", "for i = 1, 600 do yield_now() end\nprint('done')\n");
    session::SessionOptions o;
    o.max_model_events = 1'000;
    const session::Session capped = session::run_session(r, o);  // the viewer's way
    CHECK(capped.report.status == RunStatus::budget_exceeded);

    o.model_optional = true;
    const session::Session s = session::run_session(r, o);
    CHECK(s.report.status == RunStatus::completed);
    CHECK(s.report.events > 4'000);
    CHECK(s.model == nullptr);
    CHECK(s.model_dropped);
    // The statistics are all there, from the session's own fold.
    CHECK(s.summary().run().events == s.report.events);
    REQUIRE(s.summary().tasks().size() == 1);
    CHECK(s.summary().tasks()[0].polls == 601);

    // A run that fits keeps its model.
    o.max_model_events = 100'000;
    const session::Session fits = session::run_session(r, o);
    CHECK(fits.report.status == RunStatus::completed);
    REQUIRE(fits.model != nullptr);
    CHECK_FALSE(fits.model_dropped);
    CHECK(fits.model->run().events == fits.report.events);
}

TEST_CASE("run_session: a trace longer than the model holds reads back from the fold",
          "[session]") {
    // spindle-run reads back what it writes (runs of up to 50M events): past what the
    // model holds, the report and the tables come from the summary's fold, the same as
    // the live run's.
    const fs::path script = scratch("long.lua");
    std::ofstream(script) << "spawn('loop', function() for i = 1, 300 do yield_now() end\n"
                             "  check(false, 'a failed check')\n  error('boom') end)\n";
    const fs::path trace = scratch("long.spt");
    const session::Session live = record(script, trace);
    REQUIRE(live.report.status == RunStatus::failed);
    REQUIRE(live.report.events > 2'000);

    RunRequest r;
    r.path = trace;
    session::SessionOptions o;
    o.max_model_events = 1'000;
    const session::Session refused = session::run_session(r, o);  // the viewer's way
    CHECK(refused.report.status == RunStatus::load_error);
    CHECK_THAT(refused.report.errors.at(0), Catch::Contains("too_large"));

    o.model_optional = true;
    const session::Session read = session::run_session(r, o);
    CHECK(read.model == nullptr);
    CHECK(read.model_dropped);
    CHECK(read.report.status == RunStatus::failed);
    CHECK(read.report.events == live.report.events);
    CHECK(read.report.duration_ns == live.report.duration_ns);
    CHECK(read.report.diagnostics() == live.report.diagnostics());
    CHECK(read.report.errors == live.report.errors);
    CHECK(read.report.tracebacks == live.report.tracebacks);
    CHECK(read.report.checks == live.report.checks);
    CHECK(read.summary().run().events == live.summary().run().events);
    CHECK(read.summary().tasks().at(1).polls == 301);

    // A deadlock's wait-for report needs the model: the status stays, a note says why.
    const fs::path stuck = scratch("stuck.spt"), stuck_script = scratch("stuck.lua");
    std::ofstream(stuck_script)
        << "local m = mutex('m')\nlocal g = m:lock()\nfor i = 1, 300 do yield_now() end\n"
           "m:lock()\n";
    REQUIRE(record(stuck_script, stuck).report.status == RunStatus::deadlock);
    r.path = stuck;
    const session::Session deadlocked = session::run_session(r, o);
    CHECK(deadlocked.report.status == RunStatus::deadlock);
    CHECK_FALSE(deadlocked.report.deadlock);
    CHECK_THAT(deadlocked.report.diagnostics(),
               Catch::Contains("note: the wait-for report is rebuilt from the viewer's model"));
}

TEST_CASE("run_session: the viewer reopens the trace of a run its event budget stopped",
          "[session]") {
    // A run stopped at the model's budget ends its poll and then the run: its trace holds
    // a few events more than the budget, and must still open where it was shown.
    RunRequest r = source("spin.lua", "for i = 1, 1e6 do yield_now() end\n");
    session::SessionOptions o;
    o.max_model_events = 1'000;
    const fs::path trace = scratch("stopped.spt");
    {
        TraceWriter writer(trace);
        o.sinks.push_back(&writer);
        const session::Session live = session::run_session(r, o);
        REQUIRE(writer.ok());
        REQUIRE(live.report.status == RunStatus::budget_exceeded);
        REQUIRE(live.report.events > 1'000);  // the events that end the stopped run
        o.sinks.clear();
    }
    RunRequest read_back;
    read_back.path = trace;
    const session::Session read = session::run_session(read_back, o);
    CHECK(read.report.status == RunStatus::budget_exceeded);
    CHECK(read.report.events > 1'000);
    REQUIRE(read.model != nullptr);
    CHECK(read.model->run().events == read.report.events);
}
