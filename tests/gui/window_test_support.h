#pragma once
// Helpers for tests that drive the desktop window offscreen: wait for a run while
// the event loop turns, and keep the window's settings out of the user's.

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>

#include <functional>

#include "app_settings.h"
#include "main_window.h"

namespace window_test {

/// Processes events until `done` or the timeout; true when done.
inline bool wait_until(const std::function<bool()>& done, int timeout_ms = 30000) {
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeout_ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return done();
}

/// Opens `path` in `w` and waits until its run is shown; false on the timeout.
inline bool open_and_wait(spindle::ui::MainWindow& w, const QString& path) {
    bool shown = false;
    auto c =
        QObject::connect(&w, &spindle::ui::MainWindow::run_shown, &w, [&shown] { shown = true; });
    w.open_file(path);
    const bool ok = wait_until([&] { return shown; });
    QObject::disconnect(c);
    return ok;
}

/// Lets the event loop turn for `ms` (layouts settle, timers fire).
inline void settle(int ms = 100) {
    wait_until([] { return false; }, ms);
}

/// The window needs QApplication (widgets), and its settings go to a scratch
/// directory of this process, so tests neither read nor change the user's, nor
/// one another's when ctest runs them side by side (Qt's test mode alone sends
/// every test process to the same ~/.qttest folder).
inline bool widgets_available() {
    static const bool ok = [] {
        static QTemporaryDir config;
        qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, config.path());
        return qobject_cast<QApplication*>(QCoreApplication::instance()) != nullptr;
    }();
    return ok;
}

/// Writes `text` to `name` in `dir` (a scenario a test opens); its path, or "" if
/// the file could not be written.
inline QString write_file(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size()) return {};
    return path;
}

/// Forgets every saved preference: the next window opens as on a first launch.
inline void forget_settings() {
    QSettings s = spindle::ui::app_settings();
    s.clear();
    s.sync();
}

}  // namespace window_test
