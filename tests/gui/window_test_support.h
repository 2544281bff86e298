#pragma once
// Helpers for tests that drive the desktop window offscreen: wait for a run while
// the event loop turns, and keep the window's settings out of the user's.

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>

#include <functional>

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

/// The window needs QApplication (widgets), and its settings go to a scratch
/// directory so tests neither read nor change the user's.
inline bool widgets_available() {
    static const bool ok = [] {
        static QTemporaryDir config;
        qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
        return qobject_cast<QApplication*>(QCoreApplication::instance()) != nullptr;
    }();
    return ok;
}

}  // namespace window_test
