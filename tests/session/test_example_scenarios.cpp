// Finding the shipped scenarios: installed under any prefix (relative to the program's
// folder), the source tree's only for programs inside the build folder, never for an
// installed copy elsewhere; listing them; the default one.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "example_scenarios.h"

using namespace spindle;
namespace fs = std::filesystem;

namespace {

/// A fresh, empty scratch folder for one test case.
fs::path scratch(const char* name) {
    const fs::path dir = fs::temp_directory_path() / "spindle-example-scenario-tests" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return fs::canonical(dir);
}

void touch(const fs::path& file) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "-- a scenario\n";
}

session::ScenarioPlaces places_in(const fs::path& root) {
    return {"../share/spindle/scenarios", root / "build", root / "src" / "scenarios"};
}

}  // namespace

TEST_CASE("installed scenarios are found relative to the program, under any prefix", "[examples]") {
    const fs::path root = scratch("installed");
    const fs::path prefix = root / "destdir" / "usr";
    fs::create_directories(prefix / "bin");
    touch(prefix / "share/spindle/scenarios/worker_pool.lua");
    touch(prefix / "share/spindle/scenarios/deadlock.lua");
    touch(prefix / "share/spindle/scenarios/README.txt");
    fs::create_directories(prefix / "share/spindle/scenarios/sub.lua");  // a folder
    touch(root / "src/scenarios/worker_pool.lua");

    const fs::path dir = session::find_scenarios_dir(prefix / "bin", places_in(root));
    CHECK(dir == prefix / "share/spindle/scenarios");
    const auto files = session::list_scenarios(dir);
    REQUIRE(files.size() == 2);
    CHECK(files[0].filename() == "deadlock.lua");
    CHECK(files[1].filename() == "worker_pool.lua");
    CHECK(session::default_scenario(dir) == dir / "worker_pool.lua");
}

TEST_CASE("the source tree's scenarios serve only programs inside the build folder", "[examples]") {
    const fs::path root = scratch("build_tree");
    touch(root / "src/scenarios/worker_pool.lua");
    fs::create_directories(root / "build/app");
    fs::create_directories(root / "build-other/app");
    fs::create_directories(root / "copy/bin");
    const session::ScenarioPlaces places = places_in(root);

    CHECK(session::find_scenarios_dir(root / "build/app", places) == root / "src/scenarios");
    CHECK(session::find_scenarios_dir(root / "build", places) == root / "src/scenarios");
    // A sibling whose name starts like the build folder's is not inside it.
    CHECK(session::find_scenarios_dir(root / "build-other/app", places).empty());
    // An installed copy without its share/ folder does not fall back to the sources.
    CHECK(session::find_scenarios_dir(root / "copy/bin", places).empty());
    CHECK(session::find_scenarios_dir({}, places).empty());

    // Installed next to a program in the build folder: the installed ones win.
    touch(root / "build/share/spindle/scenarios/mine.lua");
    CHECK(session::find_scenarios_dir(root / "build/app", places) ==
          root / "build/share/spindle/scenarios");
}

TEST_CASE("no folder, no scenarios, no default", "[examples]") {
    const fs::path root = scratch("empty");
    CHECK(session::list_scenarios({}).empty());
    CHECK(session::list_scenarios(root / "missing").empty());
    CHECK(session::default_scenario({}).empty());
    CHECK(session::default_scenario(root).empty());
}

TEST_CASE("this test program, in the build folder, finds the shipped scenarios", "[examples]") {
    const fs::path dir = session::find_scenarios_dir(session::running_program_dir());
    CHECK(dir == fs::canonical(fs::path(SPINDLE_SOURCE_DIR) / "scenarios"));
    CHECK(session::default_scenario(dir).filename() == "worker_pool.lua");
    CHECK(session::list_scenarios(dir).size() >= 20);
}
