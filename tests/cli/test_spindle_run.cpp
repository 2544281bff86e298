// spindle-run as a user runs it: output format, files written, exit codes.
#include <catch2/catch.hpp>

#include "../support/command_runner.h"
#include "../support/write_failures.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const fs::path kSource = SPINDLE_SOURCE_DIR;

using test_support::Output;
using test_support::slurp;

fs::path temp_dir() {
    return test_support::temp_dir("spindle-cli-test-");
}

/// Runs spindle-run with `args` (already shell-quoted where needed).
Output run(const std::string& args) {
    return test_support::run_command(std::string("'") + SPINDLE_RUN_PATH + "' " + args, temp_dir());
}

std::string scenario(const std::string& name) {
    return "'" + (kSource / "scenarios" / name).string() + "'";
}

fs::path write_script(const std::string& name, const std::string& text) {
    const fs::path p = temp_dir() / name;
    std::ofstream(p) << text;
    return p;
}

}  // namespace

TEST_CASE("a completed run prints each print() with time and task, then the summary", "[cli]") {
    const Output o = run(scenario("worker_pool.lua"));
    CHECK(o.code == 0);
    CHECK(o.out.find("] main: 24 results, sum of squares 4900\n") != std::string::npos);
    CHECK(o.out.find("] producer: all 24 jobs queued\n") != std::string::npos);
    CHECK(o.out.find("run: completed") != std::string::npos);
    CHECK(o.out.find("Tasks") != std::string::npos);
    CHECK(o.out.find("Channels") != std::string::npos);
    CHECK(o.out.find("Workers") != std::string::npos);
    CHECK(o.err.empty());
}

TEST_CASE("print lines end with the printed text exactly", "[cli]") {
    const fs::path p = write_script("print.lua", "print('a', 1, true, nil)\nprint('x  y ')\n");
    const Output o = run("'" + p.string() + "'");
    REQUIRE(o.code == 0);
    std::istringstream lines(o.out);
    std::string first, second;
    std::getline(lines, first);
    std::getline(lines, second);
    CHECK(first.rfind("[    0.002 ms] main: ", 0) == 0);
    auto ends_with = [](const std::string& s, const std::string& end) {
        return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
    };
    CHECK(ends_with(first, "main: a\t1\ttrue\tnil"));
    CHECK(ends_with(second, "main: x  y "));
}

TEST_CASE("the JSON summary on stdout has the contract keys", "[cli]") {
    const Output o = run("-q -s 3 -w 2 --summary-json - " + scenario("worker_pool.lua"));
    REQUIRE(o.code == 0);
    const auto j = nlohmann::json::parse(o.out);
    CHECK(j["scenario"] == "worker_pool");
    CHECK(j["seed"] == 3);
    CHECK(j["policy"] == "work-stealing");
    CHECK(j["outcome"] == "completed");
    CHECK(j["duration_ms"].is_number());
    CHECK(j["events"].get<int>() > 100);
    CHECK(j["deadlock"].is_null());
    CHECK(j["errors"].empty());
    REQUIRE(j["tasks"].is_array());
    for (const auto& t : j["tasks"]) {
        CHECK(t.contains("id"));
        CHECK(t.contains("name"));
        CHECK(t["state"] == "completed");
        CHECK(t.contains("polls"));
        CHECK(t.contains("busy_ms"));
    }
    bool jobs = false;
    for (const auto& c : j["channels"])
        if (c["name"] == "jobs") {
            jobs = true;
            CHECK(c["kind"] == "mpsc");
            CHECK(c["capacity"] == 4);
            CHECK(c["sent"] == 24);
            CHECK(c["received"] == 24);
            CHECK(c["max_len"] == 4);
            CHECK(c["lagged"] == 0);
        }
    CHECK(jobs);
    REQUIRE(j["workers"].is_array());
    CHECK(j["workers"].size() == 2);
    for (const auto& w : j["workers"]) {
        CHECK(w.contains("id"));
        CHECK(w.contains("polls"));
        CHECK(w.contains("busy_ms"));
        CHECK(w.contains("steals"));
    }
}

TEST_CASE("exit codes: failed task, compile error, bad usage, unreadable file", "[cli]") {
    const fs::path bad = write_script("bad.lua", "spawn('t', function()\n  error('boom')\nend)\n");
    Output o = run("'" + bad.string() + "'");
    CHECK(o.code == 1);
    CHECK(o.err.find("bad.lua:2: boom") != std::string::npos);
    CHECK(o.err.find("stack traceback") != std::string::npos);

    const fs::path syntax = write_script("syntax.lua", "local x = = 1\n");
    o = run("'" + syntax.string() + "'");
    CHECK(o.code == 1);
    CHECK(o.err.find("syntax.lua:1:") != std::string::npos);

    CHECK(run("--workers 0 " + scenario("worker_pool.lua")).code == 2);
    CHECK(run("--policy fastest " + scenario("worker_pool.lua")).code == 2);
    CHECK(run("--no-such-option " + scenario("worker_pool.lua")).code == 2);
    CHECK(run("").code == 2);
    o = run("'/nonexistent/scenario.lua'");
    CHECK(o.code == 2);
    CHECK(o.err.find("/nonexistent/scenario.lua") != std::string::npos);
}

TEST_CASE("a deadlock exits 3 and explains itself on stderr", "[cli]") {
    const Output o = run(scenario("deadlock.lua"));
    CHECK(o.code == 3);
    CHECK(o.err.find("deadlock") != std::string::npos);
    CHECK(o.err.find("account a") != std::string::npos);
    CHECK(o.err.find("cycle") != std::string::npos);

    const fs::path hint = write_script("hint.lua", "local tx, rx = mpsc.channel(1)\nrx:recv()\n");
    const Output h = run("'" + hint.string() + "'");
    CHECK(h.code == 3);
    CHECK(h.err.find("1 sender still alive") != std::string::npos);
    CHECK(h.err.find("tx:drop()") != std::string::npos);
}

TEST_CASE("budgets exit 4, a loop that never waits fails its task", "[cli]") {
    const fs::path bomb = write_script(
        "bomb.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end\n");
    Output o = run("--max-heap-mb 16 '" + bomb.string() + "'");
    CHECK(o.code == 4);
    CHECK(o.err.find("out of memory") != std::string::npos);

    const fs::path slow = write_script("slow.lua", "while true do sleep(1) end\n");
    o = run("--max-time-ms 50 '" + slow.string() + "'");
    CHECK(o.code == 4);
    CHECK(o.err.find("virtual-time budget") != std::string::npos);

    const fs::path spin =
        write_script("spin.lua", "spawn('spin', function()\n  while true do end\nend)\n");
    o = run("--max-instructions 100000 '" + spin.string() + "'");
    CHECK(o.code == 1);
    CHECK(o.err.find("spin.lua:2: instruction budget exceeded") != std::string::npos);

    // 0 lifts the count: a long loop that the budget of 100000 stops now finishes.
    const fs::path busy = write_script(
        "busy.lua", "local n = 0\nfor i = 1, 200000 do n = n + i % 7 end\nprint('sum', n)\n");
    CHECK(run("--max-instructions 100000 '" + busy.string() + "'").code == 1);
    o = run("--max-instructions 0 '" + busy.string() + "'");
    CHECK(o.code == 0);
    CHECK(o.out.find("main: sum\t599997") != std::string::npos);
    // The log is kept outside the Lua heap: its total has a limit of its own.
    const fs::path chatty = write_script(
        "chatty.lua", "local s = ('x'):rep(1 << 20)\nfor i = 1, 300 do print(s) end\n");
    o = run("-q '" + chatty.string() + "'");
    CHECK(o.code == 1);
    CHECK(o.err.find("chatty.lua:2: print: the run printed more than 256 MiB") !=
          std::string::npos);

    o = run("--max-instructions 999 '" + busy.string() + "'");
    CHECK(o.code == 2);
    CHECK(o.err.find("0 (unlimited) or an integer from 1000 up") != std::string::npos);
}

TEST_CASE("trace files are written and the same seed gives the same bytes", "[cli]") {
    const fs::path dir = temp_dir();
    const std::string a = (dir / "a.trace").string(), b = (dir / "b.trace").string();
    const std::string chrome = (dir / "c.json").string();
    REQUIRE(
        run("-q --trace '" + a + "' --chrome-trace '" + chrome + "' " + scenario("select_race.lua"))
            .code == 0);
    REQUIRE(run("-q --trace '" + b + "' " + scenario("select_race.lua")).code == 0);
    CHECK(fs::file_size(a) > 100);
    CHECK(slurp(a) == slurp(b));
    const auto j = nlohmann::json::parse(slurp(chrome));
    CHECK(j.contains("traceEvents"));
    CHECK(test_support::temporaries_beside(a) == 0);
}

TEST_CASE("spindle-run --range writes a piece of the run to the Chrome trace", "[cli]") {
    const fs::path dir = temp_dir();
    const std::string chrome = (dir / "piece.json").string();
    REQUIRE(run("-q --chrome-trace '" + chrome + "' --range 20:30 " + scenario("select_race.lua"))
                .code == 0);
    const auto j = nlohmann::json::parse(slurp(chrome));
    std::size_t slices = 0;
    for (const auto& e : j["traceEvents"]) {
        if (e["ph"] == "M") continue;
        INFO(e.dump());
        CHECK(e["ts"].get<double>() >= 20000);
        CHECK(e["ts"].get<double>() <= 30000);
        if (e["ph"] == "X") ++slices;
    }
    CHECK(slices > 0);
    // Bad ranges, and a range without the file it applies to, are usage errors.
    Output o =
        run("-q --chrome-trace '" + chrome + "' --range 30:20 " + scenario("select_race.lua"));
    CHECK(o.code == 2);
    CHECK(o.err.find("--range expects FROM:TO") != std::string::npos);
    CHECK(
        run("-q --chrome-trace '" + chrome + "' --range 1:x " + scenario("select_race.lua")).code ==
        2);
    o = run("-q --range 1:2 " + scenario("select_race.lua"));
    CHECK(o.code == 2);
    CHECK(o.err.find("--range applies to --chrome-trace") != std::string::npos);
}

TEST_CASE("spindle-run --explore groups schedules into outcome classes", "[cli]") {
    const fs::path dir = temp_dir();
    const std::string json = (dir / "classes.json").string();
    const std::string traces = (dir / "traces").string();
    Output o = run("--explore 40 --jobs 2 --strategy random --explore-json '" + json +
                   "' --trace '" + traces + "' " + scenario("lost_update.lua"));
    CHECK(o.code == 1);  // the most frequent failing class is a failed check
    CHECK(o.out.find("40 schedules (strategy random, seeds 1..40)") != std::string::npos);
    CHECK(o.out.find("check failed: balance == 200 (got 100)") != std::string::npos);
    CHECK(o.out.find("completed") != std::string::npos);
    CHECK(o.out.find("spindle-run --strategy random --seed ") != std::string::npos);
    CHECK(o.err.find("explored 40/40 schedules, 2 outcome classes") != std::string::npos);
    const auto j = nlohmann::json::parse(slurp(json));
    REQUIRE(j["classes"].size() == 2);
    // One trace per class, of its first run.
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(traces))
        files += e.path().extension() == ".spt";
    CHECK(files == 2);
    // --seed sets the base; the fixed twin has one class and exits 0.
    o = run("-q --explore 20 --seed 100 --strategy pct --explore-json - " +
            scenario("lost_update_fixed.lua"));
    CHECK(o.code == 0);
    const auto fixed = nlohmann::json::parse(o.out);
    CHECK(fixed["base_seed"] == 100);
    CHECK(fixed["classes"].size() == 1);
    // Usage errors.
    CHECK(run("--jobs 2 " + scenario("lost_update.lua")).code == 2);
    CHECK(run("--explore 0 " + scenario("lost_update.lua")).code == 2);
    CHECK(run("--explore 5 --events " + scenario("lost_update.lua")).code == 2);
    o = run("--strategy sideways " + scenario("lost_update.lua"));
    CHECK(o.code == 2);
    CHECK(o.err.find("--strategy expects fixed, random or pct") != std::string::npos);
    CHECK(run("--jitter 101 " + scenario("lost_update.lua")).code == 2);
    // --trace with --explore names a directory: a file there is refused before any run.
    const std::string not_a_dir = (dir / "plain-file").string();
    std::ofstream(not_a_dir) << "x";
    o = run("-q --explore 5 --trace '" + not_a_dir + "' " + scenario("lost_update.lua"));
    CHECK(o.code == 2);
    CHECK(o.err.find("names a directory") != std::string::npos);
}

TEST_CASE("the events option prints the text dump, help and version exit 0", "[cli]") {
    const Output o = run("--events -q " + scenario("select_race.lua"));
    CHECK(o.code == 0);
    CHECK(o.out.find("run_start") != std::string::npos);
    CHECK(o.out.find("select_winner") != std::string::npos);
    // Without -q the prints and tables move to stderr: stdout stays one event per line.
    const Output loud = run("--events " + scenario("select_race.lua"));
    CHECK(loud.out.find("] main: request 1") == std::string::npos);
    CHECK(loud.err.find("] main: request 1") != std::string::npos);
    CHECK(loud.out.rfind("0 0.000000ms", 0) == 0);
    CHECK(run("--help").code == 0);
    const Output v = run("--version");
    CHECK(v.code == 0);
    CHECK(v.out.find("spindle-run") != std::string::npos);
}

TEST_CASE("an empty script completes and says that nothing happened", "[cli]") {
    const fs::path empty = write_script("empty.lua", "-- nothing yet\n");
    const Output o = run("-q '" + empty.string() + "'");
    CHECK(o.code == 0);
    CHECK(o.err.find("note: the run spawned no task and printed nothing") != std::string::npos);
    // A script that prints is not "nothing".
    const fs::path hello = write_script("hello.lua", "print('hi')\n");
    CHECK(run("-q '" + hello.string() + "'").err.find("note:") == std::string::npos);
}

TEST_CASE("spindle-run reports a recorded trace as it reported the run", "[cli]") {
    // The same prints, tables, JSON, Chrome trace and exit status from the trace as
    // from the run that wrote it (the run is deterministic; the trace holds it all).
    const fs::path dir = temp_dir();
    for (const char* name : {"deadlock", "select_race"}) {
        INFO(name);
        const std::string trace = (dir / (std::string(name) + ".spt")).string();
        const std::string live_json = (dir / "live.json").string();
        const std::string read_json = (dir / "read.json").string();
        const std::string live_chrome = (dir / "live-chrome.json").string();
        const std::string read_chrome = (dir / "read-chrome.json").string();
        const Output live =
            run("--trace '" + trace + "' --summary-json '" + live_json + "' --chrome-trace '" +
                live_chrome + "' " + scenario(std::string(name) + ".lua"));
        REQUIRE(fs::exists(trace));
        const Output read = run("--summary-json '" + read_json + "' --chrome-trace '" +
                                read_chrome + "' '" + trace + "'");
        CHECK(read.code == live.code);
        CHECK(read.out == live.out);
        CHECK(read.err == live.err);
        CHECK(slurp(read_json) == slurp(live_json));
        CHECK(slurp(read_chrome) == slurp(live_chrome));
        // Written again, the trace is the same bytes.
        const std::string copy = (dir / "copy.spt").string();
        CHECK(run("-q --trace '" + copy + "' '" + trace + "'").code == live.code);
        CHECK(slurp(copy) == slurp(trace));
    }
    CHECK(run("-q " + scenario("deadlock.lua")).code == 3);
    // Whatever the file is called, the summary names the run's scenario.
    const fs::path named = dir / "anything.spt";
    fs::copy_file(dir / "deadlock.spt", named, fs::copy_options::overwrite_existing);
    const Output renamed_json = run("--summary-json - '" + named.string() + "'");
    CHECK(nlohmann::json::parse(renamed_json.out)["scenario"] == "deadlock");
    // A run stopped by a budget: the trace names the budget, as the run did.
    const std::string stopped = (dir / "stopped.spt").string();
    const Output stopped_live =
        run("-q --max-events 100 --trace '" + stopped + "' " + scenario("worker_pool.lua"));
    REQUIRE(stopped_live.code == 4);
    const Output budget = run("-q '" + stopped + "'");
    CHECK(budget.code == 4);
    CHECK(budget.err == stopped_live.err);
    CHECK_THAT(budget.err, Catch::Contains("budget exceeded: the event budget of 100 events"));
    const Output budget_json = run("--summary-json - '" + stopped + "'");
    CHECK(nlohmann::json::parse(budget_json.out)["stop_reason"] ==
          "the event budget of 100 events is spent");
    // A trace under another name is known by its first bytes.
    const fs::path renamed = dir / "deadlock-trace.lua";
    fs::copy_file(dir / "deadlock.spt", renamed, fs::copy_options::overwrite_existing);
    const Output by_magic = run("-q --explain 'transfer a->b' '" + renamed.string() + "'");
    CHECK(by_magic.code == 3);
    CHECK_THAT(by_magic.out, Catch::Contains("transfer a->b (#2)"));
}

TEST_CASE("spindle-run never writes an output over the file it reads", "[cli]") {
    const fs::path dir = temp_dir();
    const fs::path script = dir / "kept.lua";
    std::ofstream(script) << "print('hi')\n";
    const std::string before = slurp(script);
    for (const char* option : {"--trace", "--chrome-trace", "--summary-json"}) {
        INFO(option);
        // The same file under another spelling of its path.
        const std::string other = (dir / "." / "kept.lua").string();
        const Output o = run(std::string(option) + " '" + other + "' '" + script.string() + "'");
        CHECK(o.code == 2);
        CHECK_THAT(o.err, Catch::Contains("would overwrite the file it reads"));
        CHECK(slurp(script) == before);
    }
}

TEST_CASE("spindle-run refuses what would change a recorded trace's run", "[cli]") {
    const fs::path dir = temp_dir();
    const std::string trace = (dir / "refused.spt").string();
    REQUIRE(run("-q --trace '" + trace + "' " + scenario("worker_pool.lua")).code == 0);
    Output o = run("--seed 3 '" + trace + "'");
    CHECK(o.code == 2);
    CHECK_THAT(o.err, Catch::Contains("--seed changes a scenario's run; " + trace +
                                      " is a recorded trace"));
    for (const char* option : {"--workers 2", "--policy global-queue", "--strategy random",
                               "--jitter 5", "--depth 2", "--pct-steps 9"}) {
        INFO(option);
        o = run(std::string(option) + " '" + trace + "'");
        CHECK(o.code == 2);
        CHECK_THAT(o.err, Catch::Contains("changes a scenario's run"));
    }
    o = run("--explore 5 '" + trace + "'");
    CHECK(o.code == 2);
    CHECK_THAT(o.err, Catch::Contains("--explore runs a scenario's schedules; " + trace +
                                      " is a recorded trace"));
    // A damaged trace is refused with where it broke, never run as a script.
    const std::string cut = (dir / "cut.spt").string();
    std::ofstream(cut, std::ios::binary) << slurp(trace).substr(0, 500);
    o = run("-q '" + cut + "'");
    CHECK(o.code == 2);
    CHECK_THAT(o.err, Catch::Contains("cannot read the trace (truncated at byte 500)"));
    o = run("--max-events 10 '" + trace + "'");
    CHECK(o.code == 2);
    CHECK_THAT(o.err, Catch::Contains("--max-events limits a scenario's run; " + trace +
                                      " is a recorded"));
}

TEST_CASE("a trace whose write fails says why and keeps the old file", "[cli]") {
    // The shell lowers the file size limit (ulimit -f, 512-byte blocks in sh) and
    // ignores SIGXFSZ, so writes past 2 KiB fail with EFBIG as on a full disk.
    const fs::path dir = temp_dir();
    const fs::path trace = dir / "limited.spt";
    std::ofstream(trace) << "old";
    const Output o = test_support::run_command(
        "trap '' XFSZ; ulimit -f 4; '" + std::string(SPINDLE_RUN_PATH) + "' -q --trace '" +
            trace.string() + "' " + scenario("worker_pool.lua"),
        dir);
    CHECK(o.code == 2);
    CHECK_THAT(o.err, Catch::Contains("spindle-run: the trace: cannot write " + trace.string() +
                                      ": File too large"));
    CHECK(slurp(trace) == "old");
    CHECK(test_support::temporaries_beside(trace) == 0);
}

TEST_CASE("a write error on stdout is an error, not a silent success", "[cli]") {
    const fs::path err = temp_dir() / "full.err";
    for (const char* option : {"", "--events", "--summary-json -"}) {
        INFO("option: " << option);
        const std::string cmd = std::string("'") + SPINDLE_RUN_PATH + "' " + option + " " +
                                scenario("worker_pool.lua") + " >/dev/full 2>'" + err.string() +
                                "'";
        const int status = std::system(cmd.c_str());
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 2);
        CHECK_THAT(slurp(err), Catch::Contains("writing to standard output failed"));
    }
}

namespace {

/// Whether `s` holds a byte a terminal would act on (besides newline and tab), or the
/// C1 control CSI in UTF-8.
bool has_terminal_controls(const std::string& s) {
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) return true;
    }
    return s.find("\xc2\x9b") != std::string::npos;
}

}  // namespace

TEST_CASE("a script's escape sequences are printed, never sent to the terminal", "[cli]") {
    // A scenario (or a trace someone sent) could otherwise clear the screen, retitle the
    // window, set the clipboard or overwrite the line that reports its failure.
    const fs::path dir = temp_dir();
    const fs::path script = write_script("escapes.lua",
                                         "spawn('title\\27]0;pwned\\7', function()\n"
                                         "  print('clear \\27[2J and \\194\\155' .. '31m')\n"
                                         "  check(false, 'overwrite\\rcheck')\n"
                                         "  error('boom \\27]52;c;aGk=\\7 red')\n"
                                         "end)\n");
    const std::string trace = (dir / "escapes.spt").string();
    const Output live = run("--explain '#2' --trace '" + trace + "' '" + script.string() + "'");
    CHECK(live.code == 1);
    const std::string all = live.out + live.err;
    CHECK_FALSE(has_terminal_controls(all));
    CHECK_THAT(live.out, Catch::Contains("] title\\x1b]0;pwned\\x07: clear \\x1b[2J and "
                                         "\\xc2\\x9b31m\n"));
    CHECK_THAT(live.out, Catch::Contains("escapes.lua:3: overwrite\\x0dcheck"));
    CHECK_THAT(live.err, Catch::Contains("escapes.lua:4: boom \\x1b]52;c;aGk=\\x07 red"));
    CHECK_THAT(live.out, Catch::Contains("Errors\n  "));  // the tables' list of errors too
    CHECK_THAT(live.out, Catch::Contains("title\\x1b]0;pwned\\x07 (#2)"));  // --explain
    // From the trace: the same text, escaped the same way; and in the event dump.
    const Output read = run("--explain '#2' '" + trace + "'");
    CHECK(read.out == live.out);
    CHECK(read.err == live.err);
    const Output events = run("-q --events '" + trace + "'");
    CHECK_FALSE(has_terminal_controls(events.out + events.err));
    CHECK_THAT(events.out, Catch::Contains(R"(msg="clear \x1b[2J and \xc2\x9b31m")"));
    // Exploring: the outcome classes quote the failure.
    const Output explored = run("--explore 3 --jobs 1 '" + script.string() + "'");
    CHECK(explored.code == 1);
    std::string progress = explored.err;  // its own progress line starts with a '\r'
    std::erase(progress, '\r');
    CHECK_FALSE(has_terminal_controls(explored.out + progress));
    CHECK_THAT(explored.out, Catch::Contains("boom \\x1b]52;c;aGk=\\x07 red"));

    // Hints name tasks and resources; JSON on stdout writes C1 controls as \u escapes.
    const fs::path hint = write_script("hint.lua",
                                       "local tx, rx = crossbeam.bounded(1, 'q\\27[2J')\n"
                                       "spawn('evil\\194\\155', function() rx:recv() end)\n"
                                       "spawn('sender', function() sleep(2) tx:send(1) end)\n");
    const Output hinted = run("--summary-json - '" + hint.string() + "'");
    CHECK(hinted.code == 0);
    CHECK_FALSE(has_terminal_controls(hinted.out + hinted.err));
    CHECK_THAT(hinted.err, Catch::Contains("Hints\n  async task 'evil\\xc2\\x9b'"));
    CHECK_THAT(hinted.out, Catch::Contains(R"("evil\u009b")"));
    CHECK(nlohmann::json::parse(hinted.out)["tasks"][1]["name"] == "evil\xc2\x9b");

    // A name stays on its line: it cannot fake a line of the deadlock report.
    const fs::path stuck =
        write_script("stuck.lua",
                     "local m = mutex('m\\n  cycle: fake')\n"
                     "local g = m:lock()\n"
                     "spawn('t\\nerror: fake', function() m:lock() end):join()\n");
    const Output deadlocked = run("-q '" + stuck.string() + "'");
    CHECK(deadlocked.code == 3);
    CHECK_THAT(deadlocked.err, Catch::Contains("mutex 1 'm\\x0a  cycle: fake'"));
    CHECK_THAT(deadlocked.err, Catch::Contains("task 2 't\\x0aerror: fake'"));
    CHECK(deadlocked.err.find("\n  cycle: fake") == std::string::npos);
    CHECK(deadlocked.err.find("\nerror: fake") == std::string::npos);
}

TEST_CASE("a long run ends as it would without --summary-json or --explain", "[cli]") {
    // Their breakdowns come from the viewer's model, which holds 5 million events; a run
    // past that still goes to its own end (spindle-run allows 50 million). Each run here
    // is 5.6M events: as few runs as the checks need.
    const fs::path dir = temp_dir();
    const fs::path script =
        write_script("long.lua", "for i = 1, 700000 do yield_now() end\nprint('done')\n");
    // --explain cannot be given (status 2); the JSON beside it still is, lacking only the
    // breakdowns; and the run was written to its trace whole.
    const std::string json = (dir / "long.json").string();
    const std::string trace = (dir / "long.spt").string();
    const Output o = run("--explain main --summary-json '" + json + "' --trace '" + trace + "' '" +
                         script.string() + "'");
    CHECK(o.code == 2);
    CHECK_THAT(o.err, Catch::Contains("--summary-json: no task breakdowns: the run has "));
    CHECK_THAT(o.err,
               Catch::Contains("stop it sooner (--max-events 5000000 or less) to explain a task"));
    const auto j = nlohmann::json::parse(slurp(json));
    CHECK(j["outcome"] == "completed");
    CHECK(j["events"].get<std::uint64_t>() > 5'500'000);
    REQUIRE(j["tasks"].size() == 1);
    CHECK(j["tasks"][0]["polls"] == 700001);
    CHECK_FALSE(j["tasks"][0].contains("breakdown"));
    // Stopped where it says (a few events follow the stop), it explains.
    const Output sooner = run("-q --max-events 5000000 --explain main '" + script.string() + "'");
    CHECK(sooner.code == 4);
    CHECK_THAT(sooner.out, Catch::Contains("main (#1), spawned at"));

    // The trace reads back, reported as the run was (the app refuses it: too many events
    // for its model); only the explanation cannot be given.
    const Output read = run("--explain main '" + trace + "'");
    CHECK(read.code == 2);
    CHECK(read.out == o.out);
    CHECK_THAT(read.err, Catch::Contains("record a shorter run to explain a task"));
    const std::string live_report = o.err.substr(0, o.err.find("spindle-run: "));
    CHECK(read.err.substr(0, read.err.find("spindle-run: ")) == live_report);
}
