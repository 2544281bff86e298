#include "gui_theme.h"

#include <QApplication>
#include <QStyle>

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

QPalette gui_palette(const render::Theme& t) {
    QPalette palette = QApplication::style()->standardPalette();
    if (&t == &render::Theme::dark()) {
        const QColor window(0x2a, 0x2d, 0x33), button(0x33, 0x37, 0x3e);
        palette.setColor(QPalette::Window, window);
        palette.setColor(QPalette::WindowText, t.text);
        palette.setColor(QPalette::Base, t.background);
        palette.setColor(QPalette::AlternateBase, t.lane_alt);
        palette.setColor(QPalette::Text, t.text);
        palette.setColor(QPalette::Button, button);
        palette.setColor(QPalette::ButtonText, t.text);
        palette.setColor(QPalette::ToolTipBase, button);
        palette.setColor(QPalette::ToolTipText, t.text);
        palette.setColor(QPalette::PlaceholderText, t.text_dim);
        palette.setColor(QPalette::Highlight, QColor(0x3d, 0x6e, 0xb4));
        palette.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
        palette.setColor(QPalette::Link, t.occupancy_line);
        palette.setColor(QPalette::Mid, t.separator);
        palette.setColor(QPalette::Dark, QColor(0x18, 0x1a, 0x1d));
        palette.setColor(QPalette::Light, QColor(0x3b, 0x40, 0x48));
        for (QPalette::ColorRole role :
             {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            palette.setColor(QPalette::Disabled, role, t.text_dim);
    }
    return palette;
}

}  // namespace spindle::ui
