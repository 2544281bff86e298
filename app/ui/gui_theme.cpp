#include "gui_theme.h"

namespace spindle::ui {

namespace {
const render::Theme* g_theme = &render::Theme::light();
}

const render::Theme& gui_theme() {
    return *g_theme;
}

void set_gui_theme(const render::Theme& theme) {
    g_theme = &theme;
}

}  // namespace spindle::ui
