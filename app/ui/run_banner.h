#pragma once
// RunBanner: the coloured strip above the timeline that says how a run ended when
// it did not simply complete — could not open, did not compile, bad settings, a
// failed task, a deadlock (with its wait-for cycle), cancelled, over budget.
//
// State: only what it shows (its text and colours); it keeps no run. The window
// calls show_report() after every run and reacts to the banner's links; the banner
// hides itself on "Dismiss". GUI thread only.

#include <QLabel>

#include "run_report.h"

namespace spindle::view {
class RunModel;
}

namespace spindle::ui {

class RunBanner final : public QLabel {
    Q_OBJECT
public:
    explicit RunBanner(QWidget* parent = nullptr);

    /// Explains how the run in `report` (folded into `model`) ended; hides the banner
    /// when it completed. `file` is the file name the messages name.
    void show_report(const session::RunReport& report, const view::RunModel& model,
                     const QString& file);

Q_SIGNALS:
    /// "Show log" was clicked.
    void log_requested();
    /// A task of the deadlock's wait-for cycle was clicked.
    void task_requested(TaskId task);

private:
    void on_link(const QString& link);
};

}  // namespace spindle::ui
