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
#include <memory>
#include <string>

#include "spindle/instrument/run_summary.h"
#include "spindle/lua/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spindle;
    const std::string source(reinterpret_cast<const char*>(data), size);
    lua::ScenarioOptions options;
    // Small enough that the slowest input ends in about 50 ms under the sanitizers,
    // large enough that every shipped scenario runs to its end (the largest writes
    // about 2,000 events and takes a few ms). Inputs that spin until the wall clock
    // stops them were most of a campaign's time at 200 ms; at 50 ms the watchdog's
    // path is taken just as often and a campaign runs about twice the inputs.
    // One input in 16 (by its length, so a reproducer replays the same way) runs
    // without an instruction budget, as --max-instructions 0 does: no count hook, so
    // only the watchdog's interrupt reaches the code.
    options.budgets.instructions_per_poll = size % 16 == 0 ? 0 : 50'000;
    options.budgets.heap_bytes = std::size_t{16} << 20;
    options.budgets.virtual_time = std::chrono::seconds(10);
    options.budgets.events = 5'000;
    options.budgets.wall_clock = std::chrono::milliseconds(50);
    // One watchdog thread for every input, as a caller running states one after
    // another may lend it (starting a thread per Lua state cost more than most runs).
    static const std::shared_ptr<lua::Watchdog> watchdog = lua::make_watchdog();
    options.watchdog = watchdog.get();
    RunSummary summary;
    options.sinks = {&summary};
    (void)lua::run_scenario_source(source, "fuzz.lua", options);
    return 0;
}
