#include "recent_files.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>

#include "app_settings.h"

namespace spindle::ui {

namespace {
constexpr int kMaxRecent = 10;
}

RecentFiles::RecentFiles(QMenu* menu, QWidget* window)
    : QObject(window), m_menu(menu), m_window(window) {
    connect(m_menu, &QMenu::aboutToShow, this, &RecentFiles::fill_menu);
}

void RecentFiles::add(const QString& path) {
    QSettings s = app_settings();
    QStringList files = s.value(QStringLiteral("recent_files")).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecent)
        files.removeLast();
    s.setValue(QStringLiteral("recent_files"), files);
}

void RecentFiles::fill_menu() {
    m_menu->clear();
    const QStringList files = app_settings().value(QStringLiteral("recent_files")).toStringList();
    for (const QString& f : files) {
        QAction* a = m_menu->addAction(QFileInfo(f).fileName(), this, [this, f] {
            if (QFileInfo::exists(f)) {
                Q_EMIT open_requested(f);
            } else {
                QMessageBox::warning(m_window, tr("Open Recent"),
                                     tr("%1 no longer exists.").arg(f));
                QSettings s = app_settings();
                QStringList list = s.value(QStringLiteral("recent_files")).toStringList();
                list.removeAll(f);
                s.setValue(QStringLiteral("recent_files"), list);
            }
        });
        a->setToolTip(f);
        a->setStatusTip(f);
    }
    if (files.isEmpty()) m_menu->addAction(tr("(none)"))->setEnabled(false);
    m_menu->addSeparator();
    m_menu
        ->addAction(tr("Clear List"), this,
                    [] { app_settings().remove(QStringLiteral("recent_files")); })
        ->setEnabled(!files.isEmpty());
}

namespace {

/// `path` names a file on disk: Qt resources (":/…") exist too, but only for reading.
bool on_disk(const QString& path) {
    return !path.isEmpty() && !path.startsWith(QLatin1Char(':')) &&
           !path.startsWith(QLatin1String("qrc:"));
}

bool writable_dir(const QString& dir) {
    const QFileInfo info(dir);
    return on_disk(dir) && info.isDir() && info.isWritable();
}

}  // namespace

QString RecentFiles::dialog_dir(const QString& current) const {
    const QString dir = app_settings().value(QStringLiteral("last_dir")).toString();
    if (on_disk(dir) && QFileInfo(dir).isDir()) return dir;
    const QFileInfo info(current);
    return on_disk(current) && info.exists() ? info.absolutePath() : QString();
}

QString RecentFiles::save_dir(const QString& current,
                              QStandardPaths::StandardLocation fallback) const {
    const QString last = app_settings().value(QStringLiteral("last_dir")).toString();
    const QString next_to = on_disk(current) ? QFileInfo(current).absolutePath() : QString();
    for (const QString& dir :
         {last, next_to, QStandardPaths::writableLocation(fallback), QDir::homePath()})
        if (writable_dir(dir)) return dir;
    return QDir::homePath();
}

void RecentFiles::remember_dir(const QString& file) {
    if (!on_disk(file)) return;
    app_settings().setValue(QStringLiteral("last_dir"), QFileInfo(file).absolutePath());
}

}  // namespace spindle::ui
