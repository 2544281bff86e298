// File > Export Timeline from the window, offscreen: the file it proposes can be
// written (next to a scenario on disk; for one that is not in a folder one can
// write, such as a Qt resource or the installed default scenario, the Pictures
// folder or else the home folder), and an export that fails keeps the
// dialog open with the reason until one succeeds.
#include <catch2/catch.hpp>

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

#include "export_dialog.h"
#include "main_window.h"
#include "window_test_support.h"

using namespace spindle::ui;
using window_test::forget_settings;
using window_test::wait_until;
using window_test::widgets_available;

namespace {

const QString kWorkerPool = QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua");

/// What the test saw of the Export dialog while it was open.
struct Seen {
    bool opened = false;
    QString proposed;
    QStringList message_boxes;  ///< texts of message boxes that popped up (closed at once)
};

/// Runs File > Export Timeline on `w`; `drive` gets the open dialog (inside its
/// event loop) and must close it. Message boxes are noted and closed, so a
/// regression cannot hang the test.
Seen export_timeline(MainWindow& w, const std::function<void(ExportDialog&)>& drive) {
    Seen seen;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            seen.message_boxes << box->text();
            box->reject();
            return;
        }
        auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
        if (!dialog || seen.opened) return;
        seen.opened = true;
        seen.proposed = dialog->findChild<QLineEdit*>()->text();
        drive(*dialog);
        if (dialog->isVisible()) dialog->reject();
    });
    poll.start();
    w.export_timeline();
    // A message box after the dialog closed (the old behaviour) is closed here too.
    wait_until([] { return QApplication::activeModalWidget() == nullptr; }, 500);
    return seen;
}

void set_file(ExportDialog& d, const QString& path) {
    d.findChild<QLineEdit*>()->setText(path);
}

void press_export(ExportDialog& d) {
    d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
}

QString shown_error(ExportDialog& d) {
    const QLabel* label = d.findChild<QLabel*>(QStringLiteral("export_error"));
    return label && label->isVisibleTo(&d) ? label->text() : QString();
}

/// Opens worker_pool from a Qt resource: like the installed default scenario a launch
/// without arguments opens, there is no folder one can write next to it.
void open_built_in(MainWindow& w) {
    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    w.open_resource(QStringLiteral(":/scenarios/worker_pool.lua"));
    REQUIRE(wait_until([&] { return shown; }));
    REQUIRE(w.model()->end_time() > 0);
}

/// Points $HOME at `home` while alive (the Pictures folder follows it).
class ScopedHome {
public:
    explicit ScopedHome(const QString& home) : m_old(qgetenv("HOME")) {
        qputenv("HOME", QFile::encodeName(home));
    }
    ~ScopedHome() { qputenv("HOME", m_old); }

private:
    QByteArray m_old;
};

}  // namespace

TEST_CASE("export after a launch without arguments proposes Pictures, else home, never :/",
          "[main_window][export]") {
    REQUIRE(widgets_available());
    forget_settings();
    QTemporaryDir home;
    const ScopedHome scoped(home.path());
    MainWindow w;
    w.show();
    open_built_in(w);

    const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    REQUIRE(pictures.startsWith(home.path()));
    REQUIRE_FALSE(QFileInfo::exists(pictures));
    Seen seen = export_timeline(w, [](ExportDialog&) {});
    REQUIRE(seen.opened);
    INFO("proposed: " << seen.proposed.toStdString());
    CHECK(seen.proposed == QDir(home.path()).filePath(QStringLiteral("worker_pool.png")));

    REQUIRE(QDir().mkpath(pictures));
    seen = export_timeline(w, [](ExportDialog&) {});
    INFO("then proposed: " << seen.proposed.toStdString());
    CHECK(seen.proposed == QDir(pictures).filePath(QStringLiteral("worker_pool.png")));
    CHECK_FALSE(seen.proposed.startsWith(QLatin1Char(':')));

    // And Export writes it there.
    seen = export_timeline(w, [](ExportDialog& d) { press_export(d); });
    INFO("message: " << seen.message_boxes.join(QLatin1Char('\n')).toStdString());
    CHECK(seen.message_boxes.isEmpty());
    CHECK(QFileInfo(QDir(pictures).filePath(QStringLiteral("worker_pool.png"))).size() > 0);
}

TEST_CASE("export of a scenario on disk proposes its folder", "[main_window][export]") {
    REQUIRE(widgets_available());
    forget_settings();
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("pool.lua"));
    REQUIRE(QFile::copy(kWorkerPool, scenario));
    MainWindow w;
    w.show();
    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    w.open_file(scenario);
    REQUIRE(wait_until([&] { return shown; }));
    const Seen seen = export_timeline(w, [](ExportDialog&) {});
    INFO("proposed: " << seen.proposed.toStdString());
    CHECK(QFileInfo(seen.proposed).absoluteFilePath() ==
          QFileInfo(dir.filePath(QStringLiteral("pool.png"))).absoluteFilePath());
}

TEST_CASE("a failed export keeps the dialog open with the reason, the next try succeeds",
          "[main_window][export]") {
    REQUIRE(widgets_available());
    forget_settings();
    QTemporaryDir dir;
    const ScopedHome scoped(dir.path());
    MainWindow w;
    w.show();
    open_built_in(w);

    const QString bad = dir.filePath(QStringLiteral("no/such/folder/pool.png"));
    const QString good = dir.filePath(QStringLiteral("pool.png"));
    bool open_after_failure = false;
    QString error;
    bool closed_after_success = false;
    const Seen seen = export_timeline(w, [&](ExportDialog& d) {
        set_file(d, bad);
        press_export(d);
        open_after_failure = d.isVisible();
        error = shown_error(d);
        set_file(d, good);
        press_export(d);
        closed_after_success = !d.isVisible();
    });
    REQUIRE(seen.opened);
    CHECK(open_after_failure);
    INFO("error shown: " << error.toStdString());
    CHECK(error.contains(QStringLiteral("no/such/folder")));
    CHECK(closed_after_success);
    CHECK(seen.message_boxes.isEmpty());
    CHECK_FALSE(QFileInfo::exists(bad));
    CHECK(QFileInfo(good).size() > 0);
    CHECK(w.statusBar()->currentMessage().contains(good));
}
