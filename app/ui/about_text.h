#pragma once
// The text of Help › About: what Spindle is, its version (project()'s, through the
// generated spindle_version.h), the Qt it runs on, the Lua release compiled in, the
// licence and where the documentation is. No state.

#include <QString>

namespace spindle::ui {

/// The About box's rich text.
QString about_text();

}  // namespace spindle::ui
