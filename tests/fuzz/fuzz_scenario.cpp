// libFuzzer target: a scenario script's source through the Lua host under small
// budgets (instructions, heap, virtual time, events, wall clock). Whatever the
// script does, the run must end with a status — never a crash, a sanitizer report,
// a hang past its budget or memory past its heap budget. Reproducers go into the
// hostile-script corpus (tests/hostile/).
//
// Build and run: scripts/fuzz.sh (README, "Files you were sent": long campaigns).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "spindle/instrument/run_summary.h"
#include "spindle/lua/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spindle;
    const std::string source(reinterpret_cast<const char*>(data), size);
    lua::ScenarioOptions options;
    options.budgets.instructions_per_poll = 200'000;
    options.budgets.heap_bytes = std::size_t{32} << 20;
    options.budgets.virtual_time = std::chrono::seconds(10);
    options.budgets.events = 20'000;
    options.budgets.wall_clock = std::chrono::milliseconds(500);
    RunSummary summary;
    options.sinks = {&summary};
    (void)lua::run_scenario_source(source, "fuzz.lua", options);
    return 0;
}
