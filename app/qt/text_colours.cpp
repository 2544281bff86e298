#include "text_colours.h"

#include <QGuiApplication>
#include <QPalette>

namespace spindle::ui {

QColor text_colour(TextTone tone, bool dark) {
    // Each pair keeps a contrast of at least 4.5:1 against its background (white,
    // and the dark theme's #1d1f23 and its alternate rows, #23262b).
    switch (tone) {
        case TextTone::alert:
            return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc6, 0x28, 0x28);
        case TextTone::note:
            return dark ? QColor(0xf0, 0xb4, 0x5a) : QColor(0x9a, 0x58, 0x00);
        case TextTone::quiet:
            return dark ? QColor(0xa4, 0xab, 0xb5) : QColor(0x5f, 0x66, 0x70);
    }
    return {};
}

QColor text_colour(TextTone tone) {
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    return text_colour(tone, base.lightness() < 128);
}

}  // namespace spindle::ui
