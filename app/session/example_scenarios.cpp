#include "example_scenarios.h"

#include <algorithm>
#include <system_error>

#include "spindle_version.h"

namespace spindle::session {

namespace fs = std::filesystem;

namespace {

/// `path` with symlinks and ".." resolved as far as it exists (no throw).
fs::path resolved(const fs::path& path) {
    std::error_code ec;
    fs::path r = fs::weakly_canonical(path, ec);
    return ec ? path.lexically_normal() : r;
}

/// `inner` is `outer` or lies below it.
bool is_within(const fs::path& inner, const fs::path& outer) {
    const fs::path rel = resolved(inner).lexically_relative(resolved(outer));
    return !rel.empty() && *rel.begin() != "..";
}

bool is_dir(const fs::path& path) {
    std::error_code ec;
    return !path.empty() && fs::is_directory(path, ec);
}

}  // namespace

ScenarioPlaces ScenarioPlaces::configured() {
    return {build_info::kScenariosFromBinDir, SPINDLE_BUILD_DIR, SPINDLE_SOURCE_SCENARIOS_DIR};
}

fs::path find_scenarios_dir(const fs::path& program_dir, const ScenarioPlaces& places) {
    if (program_dir.empty()) return {};
    const fs::path installed = resolved(program_dir / places.from_bin_dir);
    if (is_dir(installed)) return installed;
    if (!places.build_dir.empty() && is_within(program_dir, places.build_dir) &&
        is_dir(places.source_dir))
        return resolved(places.source_dir);
    return {};
}

fs::path running_program_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

std::vector<fs::path> list_scenarios(const fs::path& dir) {
    std::vector<fs::path> files;
    if (!is_dir(dir)) return files;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        std::error_code type_ec;
        if (e.path().extension() == ".lua" && e.is_regular_file(type_ec)) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

fs::path default_scenario(const fs::path& dir) {
    if (dir.empty()) return {};
    const fs::path file = dir / kDefaultScenarioName;
    std::error_code ec;
    return fs::is_regular_file(file, ec) ? file : fs::path();
}

}  // namespace spindle::session
