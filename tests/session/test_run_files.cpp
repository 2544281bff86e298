// run_files: a recorded run saved as a native trace or as Chrome JSON, all or nothing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../support/write_failures.h"
#include "run_files.h"
#include "run_session.h"
#include "spindle/instrument/trace_file.h"
#include "temp_file.h"

using namespace spindle;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const char* name) {
    const fs::path dir = fs::temp_directory_path() / "spindle-run-files-tests";
    fs::create_directories(dir);
    fs::remove_all(dir / name);
    test_support::remove_temporaries_beside(dir / name);  // a killed earlier run's
    return dir / name;
}

std::string contents(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs the shipped deadlock scenario into a temporary trace, as the window does.
std::unique_ptr<session::TempFile> recorded_deadlock() {
    auto trace =
        std::make_unique<session::TempFile>(fs::temp_directory_path(), "spindle-test-", ".spt");
    REQUIRE(trace->ok());
    TraceWriter writer(trace->path());
    session::RunRequest r;
    r.path = fs::path(SPINDLE_SOURCE_DIR) / "scenarios" / "deadlock.lua";
    session::SessionOptions o;
    o.sinks.push_back(&writer);
    o.build_model = false;
    REQUIRE(session::run_session(r, o).report.status == session::RunStatus::deadlock);
    REQUIRE(writer.ok());
    return trace;
}

}  // namespace

TEST_CASE("run_files: a trace is saved as it is, or as Chrome JSON", "[session]") {
    const auto trace = recorded_deadlock();
    const fs::path copy = scratch("run.spt");
    CHECK(session::save_trace_copy(*trace, copy).empty());
    CHECK(contents(copy) == contents(trace->path()));
    CHECK(test_support::temporaries_beside(copy) == 0);
    session::RunRequest again;
    again.path = copy;
    CHECK(session::run_session(again).report.status == session::RunStatus::deadlock);

    const fs::path json = scratch("run.json");
    CHECK(session::save_chrome_trace(*trace, json).empty());
    const std::string text = contents(json);
    REQUIRE(text.size() > 100);
    CHECK(text.find("\"traceEvents\"") != std::string::npos);
    CHECK(test_support::temporaries_beside(json) == 0);
}

TEST_CASE("run_files: an unwritable target leaves nothing behind", "[session]") {
    const auto trace = recorded_deadlock();
    const fs::path nowhere = "/nonexistent/dir/run.spt";
    for (const std::string& error :
         {session::save_trace_copy(*trace, nowhere), session::save_chrome_trace(*trace, nowhere)}) {
        CHECK_FALSE(error.empty());
        CHECK_FALSE(fs::exists(nowhere));
        CHECK(error.find("/nonexistent/dir/run.spt") != std::string::npos);
    }
}

TEST_CASE("run_files: an existing target survives a failed write", "[session]") {
    const auto trace = recorded_deadlock();

    // The writes fail (past RLIMIT_FSIZE, as on a full disk).
    const fs::path target = scratch("kept.spt");
    std::ofstream(target) << "old";
    std::string copy_error, chrome_error;
    bool limited = false;
    {
        // No CHECK while the limit holds: a test report written to a file would fail.
        const test_support::FileSizeLimit limit(100);
        limited = limit.ok();
        copy_error = session::save_trace_copy(*trace, target);
        chrome_error = session::save_chrome_trace(*trace, target);
    }
    REQUIRE(limited);
    CHECK(copy_error == "cannot write " + target.string() + ": File too large");
    CHECK(chrome_error == copy_error);
    CHECK(contents(target) == "old");
    CHECK(test_support::temporaries_beside(target) == 0);

    // The trace cannot be read: a half-written one, or one that is gone.
    const fs::path json = scratch("kept.json");
    std::ofstream(json) << "old";
    session::TempFile half(fs::temp_directory_path(), "spindle-test-", ".spt");
    REQUIRE(half.ok());
    const std::string whole = contents(trace->path());
    std::ofstream(half.path(), std::ios::binary) << whole.substr(0, whole.size() / 2);
    CHECK_FALSE(session::save_chrome_trace(half, json).empty());
    CHECK(contents(json) == "old");
    CHECK(test_support::temporaries_beside(json) == 0);

    session::TempFile gone(fs::temp_directory_path(), "spindle-test-", ".spt");
    REQUIRE(gone.ok());
    fs::remove(gone.path());
    CHECK_FALSE(session::save_trace_copy(gone, target).empty());
    CHECK(contents(target) == "old");
}
