// The desktop window of `spindle`: a MainWindow showing the file the command
// line names (or the installed default scenario, default_file()), run at once.
#include "run_gui.h"

#include <QApplication>

#include "app_options.h"
#include "main_window.h"
#include "timeline_view.h"

namespace spindle::app {

int run_gui(QApplication& app, const AppOptions& options) {
    lua::ScenarioSettings overrides = options.schedule;  // --strategy, --depth, --jitter, ...
    if (options.seed) overrides.seed = options.seed;
    if (options.workers) overrides.workers = options.workers;
    if (options.policy) overrides.policy = options.policy;

    ui::MainWindow window;
    window.show();
    // A file that cannot be read still opens the window: the banner says why, and
    // File > Open is one click away.
    window.open_file(options.file.isEmpty() ? default_file() : options.file, overrides);
    if (options.range)
        QObject::connect(
            &window, &ui::MainWindow::run_shown, &window,
            [&window, &options] {
                window.timeline()->set_visible_range(options.range->first, options.range->second);
            },
            Qt::SingleShotConnection);
    return app.exec();
}

}  // namespace spindle::app
