#include "lane/lane.h"

#include "time_format.h"

namespace spindle::render {

const QString& PaintContext::task_name(TaskId id) const {
    static const QString unknown = QStringLiteral("?");
    return id >= 1 && id <= task_names->size() ? (*task_names)[id - 1] : unknown;
}

double PaintContext::task_name_width(TaskId id) const {
    return id >= 1 && id <= task_name_widths->size() ? (*task_name_widths)[id - 1] : 0.0;
}

QString format_time(view::Time t) {
    return QString::fromStdString(view::format_time(t));
}

QString format_duration(view::Time d) {
    return QString::fromStdString(view::format_duration(d));
}

}  // namespace spindle::render
