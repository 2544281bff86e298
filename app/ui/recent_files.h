#pragma once
// RecentFiles: File > Open Recent — the files opened last, newest first, and the
// folder the open and save dialogs start in.
//
// State: none of its own beyond the menu it fills; the list ("recent_files", at
// most ten) and the last folder ("last_dir") live in app_settings(), so every window
// shares them. The menu is refilled each time it opens; choosing a file that
// still exists asks the window to open it, one that is gone is dropped from the
// list with a warning. GUI thread only.

#include <QObject>
#include <QStandardPaths>
#include <QString>

class QMenu;
class QWidget;

namespace spindle::ui {

class RecentFiles final : public QObject {
    Q_OBJECT
public:
    /// Fills `menu` whenever it is about to show; warnings open over `window`.
    RecentFiles(QMenu* menu, QWidget* window);

    /// Puts `path` first in the list.
    void add(const QString& path);
    /// The folder an open dialog starts in: the last one used, else `current`'s
    /// folder when `current` is a file on disk (not a Qt resource).
    QString dialog_dir(const QString& current) const;
    /// The folder a save dialog proposes, the first of these that is a folder one
    /// can write to: the last one used, `current`'s folder (a file on disk, not a
    /// Qt resource), `fallback`, the home folder.
    QString save_dir(const QString& current, QStandardPaths::StandardLocation fallback) const;
    /// Remembers `file`'s folder for the next dialog.
    void remember_dir(const QString& file);

Q_SIGNALS:
    /// A file of the list was chosen (and still exists).
    void open_requested(const QString& path);

private:
    void fill_menu();

    QMenu* m_menu;
    QWidget* m_window;
};

}  // namespace spindle::ui
