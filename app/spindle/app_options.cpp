#include "app_options.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "budget_flags.h"
#include "example_scenarios.h"
#include "run_limits.h"
#include "schedule_flags.h"
#include "time_range.h"

namespace spindle::app {

namespace {

constexpr const char* kExitCodes =
    "\nExit status (with --export or --export-stage):\n"
    "  0  the image was written\n"
    "  1  the scenario failed to compile or a task failed (the image of what ran\n"
    "     is still written)\n"
    "  2  bad command line, unreadable file, or the image could not be written\n"
    "  3  deadlock (the image is written)\n"
    "  4  a budget was exceeded (the image is written)\n"
    "The written path is printed on stdout. Without a display, --export still\n"
    "works (Qt's offscreen platform); the window needs one.\n";

CommandLine fail(const QString& message) {
    CommandLine c;
    c.exit_code = kExitUsage;
    c.error =
        QStringLiteral("spindle: %1\nTry 'spindle --help' for more information.\n").arg(message);
    return c;
}

std::optional<std::uint64_t> to_uint(const QString& s, std::uint64_t lo, std::uint64_t hi) {
    bool ok = false;
    const qulonglong v = s.toULongLong(&ok, 10);
    if (!ok || s.startsWith(QLatin1Char('+')) || v < lo || v > hi) return std::nullopt;
    return v;
}

std::optional<double> to_ms(const QString& s) {
    return session::parse_ms(s.toStdString());
}

}  // namespace

std::optional<std::pair<view::Time, view::Time>> parse_range(const QString& text) {
    return session::parse_ms_range(text.toStdString());
}

CommandLine parse_command_line(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Spindle: watch a deterministic async runtime schedule tasks.\n"
                       "Opens a Lua scenario (run on the simulated runtime) or a native trace\n"
                       "file (.spt) and shows its timeline; with --export, writes the timeline\n"
                       "as an image instead and exits."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and the exit codes."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version."));
    const QCommandLineOption export_opt(
        QStringLiteral("export"),
        QStringLiteral("Run headless and write the timeline to FILE (.png, .svg or .pdf)."),
        QStringLiteral("FILE"));
    const QCommandLineOption export_stage(
        QStringLiteral("export-stage"),
        QStringLiteral("Run headless and write the stage (who runs, queues, channels) at the "
                       "time --at gives to FILE (.png)."),
        QStringLiteral("FILE"));
    const QCommandLineOption at(QStringLiteral("at"),
                                QStringLiteral("The time of --export-stage, in ms of virtual "
                                               "time (fractions allowed)."),
                                QStringLiteral("MS"));
    const QCommandLineOption range(
        QStringLiteral("range"),
        QStringLiteral("Show only FROM:TO, in ms of virtual time (fractions allowed). "
                       "Default: the whole run."),
        QStringLiteral("FROM:TO"));
    const QCommandLineOption width(
        QStringLiteral("width"),
        QStringLiteral("Export width in pixels (default 1600; 1200 for the stage)."),
        QStringLiteral("PX"));
    const QCommandLineOption ratio(
        QStringLiteral("pixel-ratio"),
        QStringLiteral("Device pixels per pixel of a PNG export (default 2)."),
        QStringLiteral("R"));
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        QStringLiteral("light | dark: the colours of an export (default light, for documents)."),
        QStringLiteral("T"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of every random choice (overrides the "
                                                 "scenario's)."),
                                  QStringLiteral("N"));
    const QCommandLineOption workers(QStringLiteral("workers"),
                                     QStringLiteral("Worker threads (overrides the scenario's)."),
                                     QStringLiteral("N"));
    const QCommandLineOption policy(
        QStringLiteral("policy"),
        QStringLiteral("work-stealing | global-queue | current-thread (overrides the "
                       "scenario's)."),
        QStringLiteral("P"));
    const QCommandLineOption wake_arrows(
        QStringLiteral("wake-arrows"),
        QStringLiteral("Draw an arrow for every wake in the --export picture: from the poll "
                       "that woke a task to that task's next poll."));
    const QCommandLineOption critical_path(
        QStringLiteral("critical-path"),
        QStringLiteral("Draw TASK's critical path in the --export picture: what it waited "
                       "on, back to the run's start (TASK: a name, e.g. main, or #id)."),
        QStringLiteral("TASK"));
    for (const auto* o : {&help, &version, &export_opt, &export_stage, &at, &range, &width, &ratio,
                          &theme, &wake_arrows, &critical_path, &seed, &workers, &policy})
        parser.addOption(*o);
    // The schedule and budgets of a scenario run, as spindle-run takes them.
    auto add_flag = [&](const session::BudgetFlag& f) {
        QString help = QString::fromUtf8(f.help.data(), static_cast<qsizetype>(f.help.size()));
        help[0] = help[0].toUpper();
        parser.addOption(QCommandLineOption(
            QString::fromUtf8(f.name.data(), static_cast<qsizetype>(f.name.size())), help + '.',
            QString::fromUtf8(f.value.data(), static_cast<qsizetype>(f.value.size()))));
    };
    for (const session::BudgetFlag& f : session::kScheduleFlags)
        add_flag(f);
    for (const session::BudgetFlag& f : session::kBudgetFlags)
        add_flag(f);
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QStringLiteral("A .lua scenario or a native trace file (default: worker_pool.lua of "
                       "the shipped scenarios)."),
        QStringLiteral("[FILE]"));

    if (!parser.parse(arguments)) return fail(parser.errorText());
    if (parser.isSet(help)) {
        CommandLine c;
        // Parsed before the QApplication exists, Qt does not know the program's name.
        c.out = parser.helpText().replace(QLatin1String("<executable_name>"),
                                          QLatin1String("spindle")) +
                QString::fromLatin1(kExitCodes);
        return c;
    }
    if (parser.isSet(version)) {
        CommandLine c;
        c.out = QStringLiteral("spindle %1\n").arg(QCoreApplication::applicationVersion());
        return c;
    }

    AppOptions o;
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1) return fail(QStringLiteral("give at most one FILE"));
    if (!files.isEmpty()) o.file = files.front();
    if (parser.isSet(export_opt)) {
        o.export_path = parser.value(export_opt);
        if (o.export_path.isEmpty()) return fail(QStringLiteral("--export needs a file name"));
    }
    if (parser.isSet(export_stage)) {
        o.stage_path = parser.value(export_stage);
        if (o.stage_path.isEmpty()) return fail(QStringLiteral("--export-stage needs a file name"));
        if (!o.export_path.isEmpty())
            return fail(QStringLiteral("give either --export or --export-stage"));
        if (QFileInfo(o.stage_path).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive))
            return fail(QStringLiteral("--export-stage writes a .png file"));
        if (!parser.isSet(at)) return fail(QStringLiteral("--export-stage needs --at MS"));
        if (parser.isSet(range)) return fail(QStringLiteral("--range applies to --export"));
    }
    if (parser.isSet(at)) {
        if (o.stage_path.isEmpty()) return fail(QStringLiteral("--at applies to --export-stage"));
        const auto ms = to_ms(parser.value(at));
        if (!ms)
            return fail(QStringLiteral("--at expects a time in ms >= 0 (e.g. 3 or 2.5), not '%1'")
                            .arg(parser.value(at)));
        o.stage_at = static_cast<view::Time>(std::llround(*ms * 1e6));
    }
    if (parser.isSet(range)) {
        o.range = parse_range(parser.value(range));
        if (!o.range)
            return fail(QStringLiteral("--range expects FROM:TO in ms with 0 <= FROM < TO "
                                       "(e.g. 2:7.5), not '%1'")
                            .arg(parser.value(range)));
    }
    if (parser.isSet(width) || parser.isSet(ratio)) {
        if (!o.exporting())
            return fail(
                QStringLiteral("--width and --pixel-ratio apply to --export and "
                               "--export-stage"));
    }
    if (!o.stage_path.isEmpty()) o.width = 1200;  // the stage's default: compact
    if (parser.isSet(width)) {
        const auto v = to_uint(parser.value(width), 200, 32000);
        if (!v) return fail(QStringLiteral("--width expects an integer from 200 to 32000"));
        o.width = static_cast<int>(*v);
    }
    if (parser.isSet(ratio)) {
        bool ok = false;
        const double v = parser.value(ratio).toDouble(&ok);
        if (!ok || !(v >= 0.25 && v <= 8))
            return fail(QStringLiteral("--pixel-ratio expects a number from 0.25 to 8"));
        o.pixel_ratio = v;
    }
    if (parser.isSet(theme)) {
        if (!o.exporting())
            return fail(QStringLiteral("--theme applies to --export and --export-stage"));
        const QString t = parser.value(theme);
        if (t != QLatin1String("light") && t != QLatin1String("dark"))
            return fail(QStringLiteral("--theme expects light or dark, not '%1'").arg(t));
        o.dark = t == QLatin1String("dark");
    }
    if (parser.isSet(wake_arrows) || parser.isSet(critical_path)) {
        if (o.export_path.isEmpty())
            return fail(QStringLiteral("--wake-arrows and --critical-path apply to --export"));
        o.wake_arrows = parser.isSet(wake_arrows);
        o.critical_path = parser.value(critical_path);
        if (parser.isSet(critical_path) && o.critical_path.isEmpty())
            return fail(QStringLiteral("--critical-path needs a task's name or #id"));
    }
    if (parser.isSet(seed)) {
        const auto v = to_uint(parser.value(seed), 0, session::kMaxSeed);
        if (!v) return fail(QStringLiteral("--seed expects a non-negative integer"));
        o.seed = *v;
    }
    if (parser.isSet(workers)) {
        const auto v = to_uint(parser.value(workers), session::kMinWorkers, session::kMaxWorkers);
        if (!v)
            return fail(QStringLiteral("--workers expects an integer from %1 to %2")
                            .arg(session::kMinWorkers)
                            .arg(session::kMaxWorkers));
        o.workers = static_cast<int>(*v);
    }
    if (parser.isSet(policy)) {
        o.policy = parse_policy(parser.value(policy).toStdString());
        if (!o.policy)
            return fail(
                QStringLiteral("--policy expects work-stealing, global-queue or "
                               "current-thread"));
    }
    for (const session::BudgetFlag& f : session::kScheduleFlags) {
        const QString name =
            QString::fromUtf8(f.name.data(), static_cast<qsizetype>(f.name.size()));
        if (!parser.isSet(name)) continue;
        if (auto error =
                session::set_schedule(o.schedule, f.name, parser.value(name).toStdString()))
            return fail(QString::fromStdString(*error));
    }
    for (const session::BudgetFlag& f : session::kBudgetFlags) {
        const QString name =
            QString::fromUtf8(f.name.data(), static_cast<qsizetype>(f.name.size()));
        if (!parser.isSet(name)) continue;
        if (auto error = session::set_budget(o.budgets, f.name, parser.value(name).toStdString()))
            return fail(QString::fromStdString(*error));
    }
    CommandLine c;
    c.options = std::move(o);
    return c;
}

std::optional<session::RunRequest> request_for(const AppOptions& options) {
    session::RunRequest request;
    request.overrides = options.schedule;
    request.overrides.seed = options.seed;
    request.overrides.workers = options.workers;
    request.overrides.policy = options.policy;
    request.budgets = options.budgets;
    const QString file = options.file.isEmpty() ? default_file() : options.file;
    if (options.file.isEmpty() && !QFileInfo(file).isAbsolute()) return std::nullopt;
    request.path = QFile::encodeName(file).toStdString();
    return request;
}

QString default_file() {
    const std::filesystem::path found =
        session::default_scenario(session::find_scenarios_dir(session::running_program_dir()));
    return found.empty() ? QString::fromLatin1(session::kDefaultScenarioName)
                         : QString::fromStdString(found.string());
}

}  // namespace spindle::app
