// Opening a native trace through run_session, as every front end does: the trace is
// decoded chunk by chunk into the model; every shipped scenario's trace gives the
// events read_trace gives and the live run's model; a file found bad anywhere (its
// last bytes included) gives the same error as before and an empty model; progress
// goes forward to the whole file; cancel stops the read.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_session.h"
#include "spindle/instrument/summary_json.h"
#include "spindle/instrument/trace_file.h"

using namespace spindle;
using session::RunRequest;
using session::RunStatus;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / "spindle-trace-loading-tests";
    fs::create_directories(dir);
    fs::remove_all(dir / name);
    return dir / name;
}

/// Runs `request` live with a trace writer at `trace`; returns the live session.
session::Session record(RunRequest request, const fs::path& trace) {
    TraceWriter writer(trace);
    session::SessionOptions o;
    o.sinks.push_back(&writer);
    session::Session s = session::run_session(request, o);
    REQUIRE(writer.ok());
    return s;
}

session::Session open(const fs::path& trace, const session::SessionOptions& o = {}) {
    RunRequest r;
    r.source = RunRequest::Source::trace_file;
    r.path = trace;
    return session::run_session(r, o);
}

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

/// Every event handed on.
class Collect final : public EventSink {
public:
    void on_event(const Event& e, std::string_view) override { events.push_back(e); }
    std::vector<Event> events;
};

/// A scenario of about 40,000 events, for progress and cancel.
RunRequest busy_script() {
    RunRequest r;
    r.source = RunRequest::Source::scenario_source;
    r.path = "busy.lua";
    r.text =
        "scenario{ workers = 2 }\n"
        "for t = 1, 4 do spawn('spin', function() for i = 1, 2500 do yield_now() end end) end\n";
    return r;
}

}  // namespace

TEST_CASE("trace loading: every shipped scenario's trace streams into the live run's model",
          "[session]") {
    std::vector<fs::path> scripts;
    for (const auto& entry : fs::directory_iterator(fs::path(SPINDLE_SOURCE_DIR) / "scenarios"))
        if (entry.path().extension() == ".lua") scripts.push_back(entry.path());
    std::sort(scripts.begin(), scripts.end());
    REQUIRE(scripts.size() >= 10);
    for (const fs::path& script : scripts) {
        INFO(script.filename().string());
        const fs::path trace = scratch(script.stem().string() + ".spt");
        RunRequest live_request;
        live_request.path = script;
        const session::Session live = record(live_request, trace);

        const TraceReadResult whole = read_trace(trace);
        REQUIRE(whole);
        Collect streamed;
        const TraceStreamResult r = stream_trace(trace, streamed);
        REQUIRE(r.ok());
        CHECK(streamed.events == whole.trace->events);

        const session::Session read = open(trace);
        CHECK(read.report.status == live.report.status);
        CHECK(read.report.events == live.report.events);
        REQUIRE(read.model);
        CHECK(read.model->run().events == whole.trace->events.size());
        CHECK(to_json(read.summary(), nullptr, "x") == to_json(live.summary(), nullptr, "x"));
        CHECK(read.model->wakes().size() == live.model->wakes().size());
        CHECK(read.model->queue_spans().size() == live.model->queue_spans().size());
        CHECK(read.model->tasks().size() == live.model->tasks().size());
    }
}

TEST_CASE("trace loading: a trace found bad, even at its last bytes, shows no model", "[session]") {
    const fs::path good = scratch("good.spt");
    RunRequest request;
    request.path = fs::path(SPINDLE_SOURCE_DIR) / "scenarios" / "worker_pool.lua";
    const session::Session live = record(request, good);
    const std::string bytes = read_bytes(good);
    REQUIRE(bytes.size() > 1000);

    using Code = TraceError::Code;
    struct Case {
        const char* name;
        std::string bytes;
        Code code;
        std::uint64_t offset;
    };
    const std::size_t n = bytes.size();
    std::string bad_crc = bytes;
    bad_crc[n - 8] = static_cast<char>(bad_crc[n - 8] ^ 0x40);
    std::string bad_end = bytes;
    bad_end[n - 1] = 'x';
    const std::vector<Case> cases = {
        {"the footer's CRC", bad_crc, Code::checksum_mismatch, n - 8},
        {"cut short", bytes.substr(0, n / 2), Code::truncated, n / 2},
        {"cut inside the footer", bytes.substr(0, n - 3), Code::truncated, n - 3},
        {"a bad end marker", bad_end, Code::corrupt, n - 4},
        {"a byte after the footer", bytes + "x", Code::corrupt, n},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const fs::path path = scratch("bad.spt");
        write_bytes(path, c.bytes);
        // The same code and offset as the whole-file reader gives.
        const TraceReadResult whole = read_trace(path);
        REQUIRE_FALSE(whole);
        CHECK(whole.error->code == c.code);
        CHECK(whole.error->offset == c.offset);
        const std::string expected = "(" + std::string(to_string(whole.error->code)) + " at byte " +
                                     std::to_string(whole.error->offset) + ")";
        const session::Session s = open(path);
        CHECK(s.report.status == RunStatus::load_error);
        REQUIRE(s.report.errors.size() == 1);
        CHECK(s.report.errors.front().find(expected) != std::string::npos);
        // Nothing folded before the error is shown as a run.
        REQUIRE(s.model);
        CHECK(s.model->run().events == 0);
        CHECK(s.model->tasks().empty());
        CHECK(s.model->workers().empty());
        CHECK(s.report.events == 0);
        CHECK_FALSE(s.report.has_trace());
    }
}

TEST_CASE("trace loading: progress goes forward to the whole file, and cancel stops the read",
          "[session]") {
    const fs::path trace = scratch("busy.spt");
    const session::Session live = record(busy_script(), trace);
    REQUIRE(live.report.status == RunStatus::completed);
    REQUIRE(live.report.events > 30000);
    const std::uint64_t size = fs::file_size(trace);

    SECTION("progress") {
        std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
        session::SessionOptions o;
        o.read_progress = [&](std::uint64_t done, std::uint64_t total) {
            seen.emplace_back(done, total);
        };
        const session::Session s = open(trace, o);
        CHECK(s.report.status == RunStatus::completed);
        REQUIRE(seen.size() >= 2);
        for (std::size_t i = 1; i < seen.size(); ++i)
            CHECK(seen[i].first >= seen[i - 1].first);
        for (const auto& [done, total] : seen) {
            CHECK(total == size);
            CHECK(done <= total);
        }
        CHECK(seen.back().first == size);  // 100 %
    }
    SECTION("cancel") {
        std::atomic<bool> cancel{false};
        session::SessionOptions o;
        o.cancel = &cancel;
        // As the window's Cancel would, from another thread, once reading has begun.
        o.read_progress = [&](std::uint64_t, std::uint64_t) { cancel.store(true); };
        const session::Session s = open(trace, o);
        CHECK(s.report.status == RunStatus::cancelled);
        CHECK(s.report.stop_reason == "cancelled");
        REQUIRE(s.model);
        CHECK(s.model->run().events > 0);
        CHECK(s.model->run().events <= 4096);
        CHECK(s.model->run().events < live.report.events);
    }
}

TEST_CASE("trace loading: a stopped run's trace says what stopped it, as the run did",
          "[session]") {
    SECTION("a budget") {
        const fs::path trace = scratch("stopped.spt");
        RunRequest r = busy_script();
        r.budgets.events = 500;
        const session::Session live = record(r, trace);
        REQUIRE(live.report.status == RunStatus::budget_exceeded);
        CHECK(live.report.stop_reason == "the event budget of 500 events is spent");
        const session::Session read = open(trace);
        CHECK(read.report.status == RunStatus::budget_exceeded);
        CHECK(read.report.stop_reason == live.report.stop_reason);
        CHECK(read.report.diagnostics() == live.report.diagnostics());

        // A trace written before run_end carried the reason reads as it always did.
        TraceReadResult old = read_trace(trace);
        REQUIRE(old.trace);
        auto end = std::find_if(old.trace->events.begin(), old.trace->events.end(),
                                [](const Event& e) { return e.kind == EventKind::run_end; });
        REQUIRE(end != old.trace->events.end());
        CHECK(old.trace->text(end->text) == live.report.stop_reason);
        end->text = 0;
        const fs::path before = scratch("stopped-before.spt");
        {
            TraceWriter writer(before);
            replay_trace(*old.trace, writer);
            REQUIRE(writer.ok());
        }
        const session::Session unsaid = open(before);
        CHECK(unsaid.report.status == RunStatus::budget_exceeded);
        CHECK(unsaid.report.stop_reason ==
              "the recorded run stopped at a budget (the trace does not say which)");
    }
    SECTION("a cancel") {
        const fs::path trace = scratch("cancelled.spt");
        std::atomic<bool> cancel{true};
        TraceWriter writer(trace);
        session::SessionOptions o;
        o.sinks.push_back(&writer);
        o.cancel = &cancel;
        const session::Session live = session::run_session(busy_script(), o);
        REQUIRE(writer.ok());
        REQUIRE(live.report.status == RunStatus::cancelled);
        const session::Session read = open(trace);
        CHECK(read.report.status == RunStatus::cancelled);
        CHECK(read.report.stop_reason == "cancelled");
    }
}
