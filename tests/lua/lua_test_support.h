#pragma once
// Helpers shared by the Lua host tests: run a script as "test.lua", collect what
// it printed (and, for determinism checks, its text dump), assert outcomes.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "spindle/instrument/recorder.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/lua/scenario.h"

namespace lua_test {

using spindle::lua::ScenarioResult;
using Lines = std::vector<std::string>;

/// What a script run produced: the result, every printed line, the text dump.
struct LuaRun {
    ScenarioResult result;
    Lines lines;
    std::string dump;
};

/// Runs `source` as "test.lua" with the given budgets.
inline LuaRun run_lua(const std::string& source, spindle::lua::Budgets budgets = {}) {
    spindle::Recorder rec;
    std::ostringstream dump_text;
    spindle::TextDump dump(dump_text);
    spindle::lua::ScenarioOptions options;
    options.budgets = budgets;
    options.sinks = {&rec, &dump};
    LuaRun run;
    run.result = spindle::lua::run_scenario_source(source, "test.lua", options);
    for (const spindle::Event& e : rec.events())
        if (e.kind == spindle::EventKind::log) run.lines.emplace_back(rec.text(e.text));
    run.dump = dump_text.str();
    return run;
}

/// Runs a script that must complete, and returns its printed lines.
inline Lines lines_of(const std::string& source) {
    LuaRun run = run_lua(source);
    INFO((run.result.errors.empty() ? std::string("no error") : run.result.errors.front()));
    CHECK(run.result.status == ScenarioResult::Status::ran);
    CHECK(run.result.outcome == spindle::RunOutcome::completed);
    CHECK(run.result.exit_code() == 0);
    return run.lines;
}

/// Runs a script whose one failing task must fail at `line` with `fragment` in its message.
inline void expect_error(const std::string& source, int line, const std::string& fragment) {
    LuaRun run = run_lua(source);
    CHECK(run.result.outcome == spindle::RunOutcome::failed);
    CHECK(run.result.exit_code() == 1);
    REQUIRE(run.result.errors.size() == 1);
    const std::string& msg = run.result.errors.front();
    INFO(msg);
    CHECK(msg.rfind("test.lua:" + std::to_string(line) + ":", 0) == 0);
    CHECK(msg.find(fragment) != std::string::npos);
}

}  // namespace lua_test
