#pragma once
// ScenarioWatcher: notices when the open scenario file changes on disk and asks
// "run it again?" — or re-runs without asking when the user chose so (Run > Re-run
// When the Scenario Changes, kept in app_settings() as "rerun_on_change").
//
// State: the watched path ("" when a trace, a scenario from a Qt resource or nothing is
// open), a 300 ms debounce that merges an editor's burst of writes into one
// change, and the question box while it is open (one at a time). Editors that
// save by replacing the file drop it from the watch; it is watched again on the
// next change. The window calls watch() when it opens something and re-runs on
// rerun_requested. GUI thread only.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

class QFileSystemWatcher;
class QMessageBox;
class QWidget;

namespace spindle::ui {

class ScenarioWatcher final : public QObject {
    Q_OBJECT
public:
    /// Questions open over `window`.
    explicit ScenarioWatcher(QWidget* window);

    /// Watches `path`, or nothing when it is empty.
    void watch(const QString& path);

    /// Whether a change re-runs without asking.
    static bool rerun_on_change();
    static void set_rerun_on_change(bool on);

Q_SIGNALS:
    /// The file changed and should run again (by the setting or by the user's answer).
    void rerun_requested();

private:
    void on_changed();
    void ask();

    QWidget* m_window;
    QFileSystemWatcher* m_watcher;
    QString m_path;
    QTimer m_debounce;
    QPointer<QMessageBox> m_box;
};

}  // namespace spindle::ui
