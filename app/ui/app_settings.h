#pragma once
// The store the desktop window keeps its preferences in: QSettings("spindle",
// "spindle") — layout, view toggles, recent files, the last folder, export choices
// and whether a changed scenario re-runs by itself. Each part of the window reads
// and writes its own keys; GUI thread only.

#include <QSettings>

namespace spindle::ui {

/// The window's preferences (a fresh handle each call; they all share one store).
inline QSettings app_settings() {
    return QSettings(QStringLiteral("spindle"), QStringLiteral("spindle"));
}

}  // namespace spindle::ui
