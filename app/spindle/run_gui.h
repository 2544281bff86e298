#pragma once
// run_gui: the desktop window of the `spindle` executable.
//
// State: none here; the window and the run it shows live inside run_gui() until
// the event loop ends. Called by main() on the GUI thread, after the
// QApplication exists and only when a display is available.

class QApplication;

namespace spindle::app {

struct AppOptions;

/// Opens the run `options` names in a window and runs the event loop; returns
/// the exit code (2 when the file cannot be opened).
int run_gui(QApplication& app, const AppOptions& options);

}  // namespace spindle::app
