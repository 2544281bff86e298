#include "lane/lane.h"

namespace spindle::render {

const QString& PaintContext::task_name(TaskId id) const {
    static const QString unknown = QStringLiteral("?");
    return id >= 1 && id <= task_names->size() ? (*task_names)[id - 1] : unknown;
}

double PaintContext::task_name_width(TaskId id) const {
    return id >= 1 && id <= task_name_widths->size() ? (*task_name_widths)[id - 1] : 0.0;
}

QString format_time(view::Time t) {
    // Precise to a tenth of a microsecond below 1 ms, to a microsecond above.
    const view::Time step = std::llabs(t) >= 1'000'000 ? 1'000 : 100;
    return QString::fromStdString(view::TimeAxis::format(t, step));
}

QString format_duration(view::Time d) {
    return QString::fromStdString(view::TimeAxis::format_duration(d));
}

}  // namespace spindle::render
