#pragma once
// AppOptions: what the `spindle` command line asks for, and opening what it names.
//
// State: AppOptions is a plain value filled once by parse_command_line() in main
// and read-only afterwards. load_run() keeps nothing: it runs the scenario (or
// replays the trace) into a RunModel the caller owns.
//
// Exit codes (as spindle-run, plus export failures):
//   0 done (image written); 1 the scenario failed to compile or a task failed
//   (the image of what ran is still written); 2 bad command line, unreadable
//   file, or the export could not be written; 3 deadlock; 4 budget exceeded.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "run_model.h"

namespace spindle::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDeadlock = 3;
inline constexpr int kExitBudget = 4;

/// The scenario shown when no file is given (a Qt resource in the executable).
inline constexpr const char* kDefaultScenario = ":/scenarios/worker_pool.lua";

struct AppOptions {
    QString file;         ///< a .lua scenario or a native trace; empty: kDefaultScenario
    QString export_path;  ///< set: write the timeline there and exit (no window)
    QString stage_path;   ///< set: write the stage at `stage_at` there (PNG) and exit
    std::optional<view::Time> stage_at;                      ///< --at, in ns
    std::optional<std::pair<view::Time, view::Time>> range;  ///< [from, to) in ns
    int width = 1600;                                        ///< export width, px
    double pixel_ratio = 2.0;                                ///< export pixel ratio (PNG)
    bool dark = false;                                       ///< --theme dark (exports)
    std::optional<std::uint64_t> seed;
    std::optional<int> workers;
    std::optional<Policy> policy;

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

/// A run opened from the command line.
struct LoadedRun {
    std::unique_ptr<view::RunModel> model;  ///< always set (empty when nothing ran)
    QString name;                           ///< scenario name, or the trace file's stem
    bool shown = false;       ///< there is a timeline to show (maybe empty: compile error)
    int exit_code = kExitOk;  ///< 0..4, see the top of this file
    QStringList errors;       ///< for stderr: script errors, tracebacks, deadlock report
    QString note;             ///< one line for the title: the first error, else the description
    bool note_alert = false;  ///< `note` is an error
};

/// Runs the scenario (or replays the trace) `options.file` names, headless.
LoadedRun load_run(const AppOptions& options);

}  // namespace spindle::app
