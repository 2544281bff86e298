#pragma once
// The theme the app's views paint with: light, or dark when the user chose it
// (View > Dark Theme), and the widgets' palette that goes with it. One per process,
// read and set on the GUI thread only. Exports keep the light theme: their
// pictures go into documents.

#include <QPalette>

#include "theme.h"

namespace spindle::ui {

/// The theme views build their renderers and charts with.
const render::Theme& gui_theme();
/// Sets it; views pick it up in apply_theme() (MainWindow calls them).
void set_gui_theme(const render::Theme& theme);
/// The palette for the widgets around the views: the style's own with the light
/// theme, colours from the theme with the dark one.
QPalette gui_palette(const render::Theme& theme);

}  // namespace spindle::ui
