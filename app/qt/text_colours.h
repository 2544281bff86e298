#pragma once
// Colours for text in the tables and the log, readable on the palette in use: the
// light defaults, or lighter shades when the application's palette is dark
// (View > Dark Theme sets one). Read on the GUI thread, when a view asks for data.

#include <QColor>

namespace spindle::ui {

/// What the text says.
enum class TextTone {
    alert,  ///< an error, a failed task
    note,   ///< a note or warning
    quiet,  ///< secondary columns (times, task names beside a message)
};

/// The colour for `tone` on a light background (`dark` false) or a dark one.
QColor text_colour(TextTone tone, bool dark);
/// The colour for `tone` on the application's current palette.
QColor text_colour(TextTone tone);

}  // namespace spindle::ui
