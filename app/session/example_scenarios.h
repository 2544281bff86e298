#pragma once
// The shipped example scenarios, wherever the running program finds them: installed
// under the prefix (`<bindir>/../share/spindle/scenarios`, any prefix, DESTDIR or
// copied tree), or the source tree's scenarios/ when the program runs from the build
// folder. File › Open Example lists them; `spindle` without a FILE opens the default.
//
// No state: each call looks at the file system. The build-tree fallback holds only for
// programs inside the build folder, so an installed copy never reads the source tree.
// Any thread.

#include <filesystem>
#include <string>
#include <vector>

namespace spindle::session {

/// The scenario a launch without a FILE opens.
inline constexpr const char* kDefaultScenarioName = "worker_pool.lua";

/// Where to look, with the values this build was configured with by default.
struct ScenarioPlaces {
    /// The installed folder relative to the program's folder ("../share/spindle/scenarios").
    std::filesystem::path from_bin_dir;
    /// The build folder and the source tree's scenarios/ (the fallback for programs
    /// that run from inside the build folder).
    std::filesystem::path build_dir;
    std::filesystem::path source_dir;

    /// This build's places (from the generated version header and the configure step).
    static ScenarioPlaces configured();
};

/// The folder of the shipped scenarios for a program in `program_dir`: the installed
/// one when it exists, else the source tree's when `program_dir` is inside the build
/// folder, else empty.
std::filesystem::path find_scenarios_dir(
    const std::filesystem::path& program_dir,
    const ScenarioPlaces& places = ScenarioPlaces::configured());

/// The folder of the running program (from /proc/self/exe); empty when unknown.
std::filesystem::path running_program_dir();

/// The .lua files directly in `dir`, sorted by name; empty when `dir` is empty or not
/// a folder.
std::vector<std::filesystem::path> list_scenarios(const std::filesystem::path& dir);

/// `dir`/kDefaultScenarioName when that file exists, else empty.
std::filesystem::path default_scenario(const std::filesystem::path& dir);

}  // namespace spindle::session
