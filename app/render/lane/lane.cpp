#include "lane/lane.h"

#include "short_label.h"
#include "time_format.h"

namespace spindle::render {

const QString& PaintContext::task_name(TaskId id) const {
    static const QString unknown = QStringLiteral("?");
    return id >= 1 && id <= task_names->size() ? (*task_names)[id - 1] : unknown;
}

double PaintContext::task_name_width(TaskId id) const {
    return id >= 1 && id <= task_name_widths->size() ? (*task_name_widths)[id - 1] : 0.0;
}

QString PaintContext::short_task_name(TaskId id, double width) const {
    const QString& name = task_name(id);
    if (task_name_width(id) <= width) return name;
    const std::size_t tail =
        id >= 1 && id <= task_name_tails->size() ? (*task_name_tails)[id - 1] : 0;
    return short_label(name, tail, width, *metrics);
}

QString format_time(view::Time t) {
    return QString::fromStdString(view::format_time(t));
}

QString format_duration(view::Time d) {
    return QString::fromStdString(view::format_duration(d));
}

QString short_label(const QString& name, std::size_t tail, double width, const QFontMetricsF& fm) {
    const QByteArray utf8 = name.toUtf8();
    const std::string text =
        view::short_label(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())),
                          tail, width, [&fm](std::string_view s) {
                              return fm.horizontalAdvance(
                                  QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())));
                          });
    return QString::fromStdString(text);
}

}  // namespace spindle::render
