#pragma once
// LegendEntry: one entry of the timeline's legend — a mark then its words — as the
// renderer lays them out with view::flow_rows (wrapping onto more rows when the
// legend is wider than the picture) and paints them.
//
// No state beyond the entry: built per paint (or per measure) from the theme, the
// small font's metrics and what the run contains.

#include <QFontMetricsF>
#include <QPainter>
#include <QString>

#include <functional>
#include <utility>

#include "theme.h"

namespace spindle::render {

struct LegendEntry {
    double mark_width = 0;  ///< the mark's room before the text
    QString text;
    double text_width = 0;
    /// Paints the mark with its left edge at x, centred on cy (may change the painter's state).
    std::function<void(QPainter& p, double x, double cy)> mark;

    double width() const { return mark_width + text_width; }
};

/// An entry whose mark takes `mark_width` pixels, measured in `fm`.
inline LegendEntry legend_entry(double mark_width, QString text, const QFontMetricsF& fm,
                                std::function<void(QPainter&, double, double)> mark) {
    const double w = fm.horizontalAdvance(text) + 2;
    return LegendEntry{mark_width, std::move(text), w, std::move(mark)};
}

}  // namespace spindle::render
