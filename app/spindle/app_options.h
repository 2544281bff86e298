#pragma once
// AppOptions: what the `spindle` command line asks for, and opening what it names.
//
// State: AppOptions is a plain value filled once by parse_command_line() in main
// and read-only afterwards; request() turns it into what run_session() takes.
//
// Exit codes (session/outcome.h, as spindle-run, plus export failures):
//   0 done (image written); 1 the scenario failed to compile or a task failed
//   (the image of what ran is still written); 2 bad command line, unreadable
//   file, or the export could not be written; 3 deadlock; 4 budget exceeded.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "outcome.h"
#include "run_model.h"
#include "run_request.h"

namespace spindle::app {

using session::kExitOk;
using session::kExitUsage;

/// The scenario shown when no file is given: worker_pool.lua among the shipped
/// scenarios (installed, or the source tree's from the build folder; see
/// session/example_scenarios.h); its bare name when it cannot be found, so that
/// opening it says the file cannot be read.
QString default_file();

struct AppOptions {
    QString file;         ///< a .lua scenario or a native trace; empty: default_file()
    QString export_path;  ///< set: write the timeline there and exit (no window)
    QString stage_path;   ///< set: write the stage at `stage_at` there (PNG) and exit
    std::optional<view::Time> stage_at;                      ///< --at, in ns
    std::optional<std::pair<view::Time, view::Time>> range;  ///< [from, to) in ns
    int width = 1600;                                        ///< export width, px
    double pixel_ratio = 2.0;                                ///< export pixel ratio (PNG)
    bool dark = false;                                       ///< --theme dark (exports)
    bool wake_arrows = false;  ///< --wake-arrows: the timeline export draws every wake
    QString critical_path;     ///< --critical-path: a task (name or #id) whose path is drawn
    std::optional<std::uint64_t> seed;
    std::optional<int> workers;
    std::optional<Policy> policy;
    lua::ScenarioSettings schedule;  ///< --strategy, --depth, --pct-steps, --jitter
    lua::Budgets budgets;  ///< --max-instructions, --max-heap-mb, ...: the scenario run's budgets

    bool exporting() const { return !export_path.isEmpty() || !stage_path.isEmpty(); }
};

/// The result of parsing: either options to go on with, or an exit (help,
/// version or an error) with the text to print.
struct CommandLine {
    std::optional<AppOptions> options;  ///< set: run
    int exit_code = kExitOk;            ///< when `options` is unset
    QString out;                        ///< for stdout (help, version)
    QString error;                      ///< for stderr
};

/// Parses `arguments` (arguments[0] is the program). Needs no QCoreApplication.
CommandLine parse_command_line(const QStringList& arguments);

/// Parses "FROM:TO" in milliseconds (fractions allowed, FROM < TO, both >= 0) to ns.
std::optional<std::pair<view::Time, view::Time>> parse_range(const QString& text);

/// What run_session() should run for `options`: the file, or default_file() when
/// none is named; nullopt when the default scenario cannot be found.
std::optional<session::RunRequest> request_for(const AppOptions& options);

}  // namespace spindle::app
