#pragma once
// The theme the app's views paint with: light, or dark when the user chose it
// (View > Dark Theme). One per process, read and set on the GUI thread only.
// Exports keep the light theme: their pictures go into documents.

#include "theme.h"

namespace spindle::ui {

/// The theme views build their renderers and charts with.
const render::Theme& gui_theme();
/// Sets it; views pick it up in apply_theme() (MainWindow calls them).
void set_gui_theme(const render::Theme& theme);

}  // namespace spindle::ui
