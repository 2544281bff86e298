// spindle: the desktop viewer, and `spindle --export` to write a run's timeline
// as an image headless. See app/cli/app_options.h for the command line and the
// exit codes.
#include <QApplication>

#include <iostream>

#include "cli/app_options.h"
#include "export.h"
#include "ui/run_gui.h"

using namespace spindle;

namespace {

/// Runs the scenario headless and writes its timeline; see the exit codes in app_options.h.
int run_export(const app::AppOptions& options) {
    app::LoadedRun run = app::load_run(options);
    for (const QString& e : run.errors)
        std::cerr << e.toStdString() << "\n";
    if (!run.shown) return run.exit_code;

    render::ExportOptions out;
    out.range = options.range;
    out.width = options.width;
    out.pixel_ratio = options.pixel_ratio;
    // A run that started names itself (run_start carries the scenario label).
    if (run.model->run().config.empty()) out.title = run.name;
    out.note = run.note;
    out.note_alert = run.note_alert;
    if (options.dark) out.theme = &render::Theme::dark();
    const render::ExportResult result =
        render::export_timeline(*run.model, out, options.export_path);
    if (!result) {
        std::cerr << "spindle: " << result.message.toStdString() << "\n";
        return app::kExitUsage;
    }
    std::cout << options.export_path.toStdString() << std::endl;
    return run.exit_code;
}

/// Runs the scenario headless and writes its stage at --at; exit codes as run_export.
int run_export_stage(const app::AppOptions& options) {
    app::LoadedRun run = app::load_run(options);
    for (const QString& e : run.errors)
        std::cerr << e.toStdString() << "\n";
    if (!run.shown) return run.exit_code;
    const render::ExportResult result = render::export_stage_png(
        *run.model, options.stage_at.value_or(0), options.width, options.pixel_ratio,
        options.stage_path, run.model->run().config.empty() ? run.name : QString(),
        options.dark ? render::Theme::dark() : render::Theme::light());
    if (!result) {
        std::cerr << "spindle: " << result.message.toStdString() << "\n";
        return app::kExitUsage;
    }
    std::cout << options.stage_path.toStdString() << std::endl;
    return run.exit_code;
}

QtMessageHandler g_default_handler = nullptr;

/// Drops the offscreen platform's chatter (XDG_RUNTIME_DIR unset, window hints) in
/// export mode; real warnings still go through.
void quiet_platform_messages(QtMsgType type, const QMessageLogContext& context,
                             const QString& msg) {
    const bool chatter = msg.startsWith(QLatin1String("QStandardPaths:")) ||
                         (context.category && qstrncmp(context.category, "qt.qpa", 6) == 0);
    if (chatter && (type == QtDebugMsg || type == QtInfoMsg || type == QtWarningMsg)) return;
    g_default_handler(type, context, msg);
}

bool has_display() {
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication::setApplicationName(QStringLiteral("spindle"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPINDLE_VERSION));
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    const app::CommandLine command = app::parse_command_line(arguments);
    if (!command.options) {
        std::cout << command.out.toStdString();
        std::cerr << command.error.toStdString();
        return command.exit_code;
    }
    const app::AppOptions& options = *command.options;

    // An export never needs a window: unless told otherwise, Qt draws offscreen.
    if (options.exporting()) g_default_handler = qInstallMessageHandler(quiet_platform_messages);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        if (options.exporting()) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        } else if (!has_display()) {
            std::cerr << "spindle: no display: use --export\n";
            return app::kExitUsage;
        }
    }
    QApplication qt(argc, argv);
    if (!options.stage_path.isEmpty()) return run_export_stage(options);
    return options.exporting() ? run_export(options) : app::run_gui(qt, options);
}
