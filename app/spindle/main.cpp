// spindle: the desktop viewer, and `spindle --export` to write a run's timeline
// as an image headless. See app/spindle/app_options.h for the command line and the
// exit codes.
#include <QApplication>
#include <QIcon>

#include <iostream>

#include "app_options.h"
#include "critical_path.h"
#include "example_scenarios.h"
#include "export.h"
#include "run_gui.h"
#include "run_session.h"
#include "spindle_version.h"

using namespace spindle;

namespace {

/// Runs (or reads) what the command line names, headless; prints its diagnostics.
/// Null when there is nothing to draw (the exit code is then in `exit_code`).
std::optional<session::Session> open_run(const app::AppOptions& options, int& exit_code) {
    const std::optional<session::RunRequest> request = app::request_for(options);
    if (!request) {
        std::cerr << "spindle: the default scenario (" << session::kDefaultScenarioName
                  << ") is not installed next to this program: name a FILE\n";
        exit_code = session::kExitUsage;
        return std::nullopt;
    }
    session::Session run = session::run_session(*request);
    std::cerr << run.report.diagnostics();
    exit_code = run.report.exit_code();
    // A file that did not load has nothing to draw; a script that did not compile
    // still gets a picture saying so.
    if (run.report.status == session::RunStatus::load_error) return std::nullopt;
    return run;
}

/// The picture's title when the run does not name itself (run_start carries the
/// scenario's label; a run that never started has none).
QString fallback_title(const session::Session& run) {
    return run.model->run().started ? QString() : QString::fromStdString(run.report.name);
}

/// Writes the timeline (or with --export-stage, the stage at --at); exit codes in app_options.h.
int run_export(const app::AppOptions& options) {
    int code = session::kExitOk;
    const std::optional<session::Session> run = open_run(options, code);
    if (!run) return code;
    const view::RunModel& model = *run->model;
    render::ExportResult result;
    QString path;
    if (!options.stage_path.isEmpty()) {
        path = options.stage_path;
        result = render::export_stage_png(
            model, options.stage_at.value_or(0), options.width, options.pixel_ratio, path,
            fallback_title(*run), options.dark ? render::Theme::dark() : render::Theme::light());
    } else {
        path = options.export_path;
        render::ExportOptions out;
        out.range = options.range;
        out.width = options.width;
        out.pixel_ratio = options.pixel_ratio;
        out.title = fallback_title(*run);
        out.status = run->report.status;
        const session::RunReport::Headline headline = run->report.headline();
        out.note = QString::fromStdString(headline.text);
        out.note_alert = headline.alert;
        if (options.dark) out.theme = &render::Theme::dark();
        out.render.wake_arrows = options.wake_arrows;
        if (!options.critical_path.isEmpty()) {
            const std::optional<TaskId> task =
                view::find_task(model, options.critical_path.toStdString());
            if (!task) {
                std::cerr << "spindle: --critical-path: the run has no task '"
                          << options.critical_path.toStdString() << "'\n";
                return session::kExitUsage;
            }
            out.render.critical_path_task = *task;  // drawn, and the task selected, as the
            out.render.selected_task = *task;       // window draws a selected task's path
        }
        result = render::export_timeline(model, out, path);
    }
    if (!result) {
        std::cerr << "spindle: " << result.message.toStdString() << "\n";
        return session::kExitUsage;
    }
    std::cout << path.toStdString() << std::endl;
    return code;
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
    QCoreApplication::setApplicationVersion(QString::fromLatin1(build_info::kVersion));
    // Wayland's app id and the launcher's entry: share/applications/APP_ID.desktop.
    QGuiApplication::setDesktopFileName(QString::fromLatin1(build_info::kAppId));
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
            return session::kExitUsage;
        }
    }
    QApplication qt(argc, argv);
    QApplication::setWindowIcon(QIcon::fromTheme(QString::fromLatin1(build_info::kAppId)));
    return options.exporting() ? run_export(options) : app::run_gui(qt, options);
}
