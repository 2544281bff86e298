#include "scenario_watcher.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QMessageBox>
#include <QPushButton>

#include "app_settings.h"

namespace spindle::ui {

ScenarioWatcher::ScenarioWatcher(QWidget* window)
    : QObject(window), m_window(window), m_watcher(new QFileSystemWatcher(this)) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { m_debounce.start(); });
    connect(&m_debounce, &QTimer::timeout, this, &ScenarioWatcher::on_changed);
}

void ScenarioWatcher::watch(const QString& path) {
    m_path = path;
    if (!m_watcher->files().isEmpty()) m_watcher->removePaths(m_watcher->files());
    if (!path.isEmpty()) m_watcher->addPath(path);
}

bool ScenarioWatcher::rerun_on_change() {
    return app_settings().value(QStringLiteral("rerun_on_change"), false).toBool();
}

void ScenarioWatcher::set_rerun_on_change(bool on) {
    app_settings().setValue(QStringLiteral("rerun_on_change"), on);
}

void ScenarioWatcher::on_changed() {
    if (m_path.isEmpty()) return;
    // Editors often save by replacing the file, which drops it from the watcher.
    if (!QFileInfo::exists(m_path)) return;
    if (!m_watcher->files().contains(m_path)) m_watcher->addPath(m_path);
    if (rerun_on_change())
        Q_EMIT rerun_requested();
    else
        ask();
}

void ScenarioWatcher::ask() {
    if (m_box) return;  // already asking
    auto* box =
        new QMessageBox(QMessageBox::Question, tr("Scenario Changed"),
                        tr("%1 changed on disk. Run it again?").arg(QFileInfo(m_path).fileName()),
                        QMessageBox::NoButton, m_window);
    QPushButton* run = box->addButton(tr("Re-run"), QMessageBox::AcceptRole);
    box->addButton(tr("Not Now"), QMessageBox::RejectRole);
    box->setDefaultButton(run);
    auto* always = new QCheckBox(tr("Always re-run when the scenario changes"));
    box->setCheckBox(always);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, run, always] {
        if (always->isChecked()) set_rerun_on_change(true);
        if (box->clickedButton() == static_cast<QAbstractButton*>(run) || always->isChecked())
            Q_EMIT rerun_requested();
    });
    m_box = box;
    box->open();
}

}  // namespace spindle::ui
