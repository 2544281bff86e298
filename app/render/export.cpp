#include "export.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>
#include <functional>

#include "stage/stage_painter.h"
#include "stage_model.h"

namespace spindle::render {

namespace {

enum class Format { png, svg, pdf };

ExportResult failure(QString message) {
    return ExportResult{false, std::move(message)};
}

/// Fills the file being written; false with the reason in `error` on failure.
using Writer = std::function<bool(QFileDevice& out, QString* error)>;

/// Writes `path` through a QSaveFile: `write` fills it, then it is committed. On
/// any failure the file is left as it was, and the result says why.
ExportResult write_file(const QString& path, const Writer& write) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    QString error;
    bool ok = write(file, &error);
    if (ok && file.error() != QFileDevice::NoError) {
        ok = false;
        error = file.errorString();
    }
    if (!ok) {
        file.cancelWriting();
        return failure(QStringLiteral("cannot write %1: %2")
                           .arg(path, error.isEmpty() ? QStringLiteral("painting failed") : error));
    }
    if (!file.commit())
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return ExportResult{true, {}};
}

/// An image `size` logical pixels at `ratio` device pixels each (null: too large).
QImage make_image(QSize size, double ratio) {
    QImage image(QSize(static_cast<int>(std::lround(size.width() * ratio)),
                       static_cast<int>(std::lround(size.height() * ratio))),
                 QImage::Format_RGB32);
    if (!image.isNull()) image.setDevicePixelRatio(ratio);
    return image;
}

bool write_png(const QImage& image, QIODevice& out, QString* error) {
    if (!image.save(&out, "PNG")) {
        *error = QStringLiteral("PNG encoding failed");
        return false;
    }
    return true;
}

bool paint_png(const TimelineRenderer& r, const view::TimeAxis& axis, QSize size, double ratio,
               QIODevice& out, QString* error) {
    QImage image = make_image(size, ratio);
    if (image.isNull()) {
        *error = QStringLiteral("the image is too large (%1×%2 px at %3×)")
                     .arg(size.width())
                     .arg(size.height())
                     .arg(ratio);
        return false;
    }
    image.fill(r.theme().background);
    {
        QPainter p(&image);
        r.paint(p, axis);
    }
    return write_png(image, out, error);
}

bool paint_svg(const TimelineRenderer& r, const view::TimeAxis& axis, QSize size, QIODevice& out,
               QString* error) {
    QSvgGenerator svg;
    svg.setOutputDevice(&out);
    // 96 dpi: the size a browser gives one CSS pixel, so the SVG opens at `size`.
    svg.setResolution(96);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(r.title_text());
    svg.setDescription(QStringLiteral("Spindle timeline"));
    QPainter p;
    if (!p.begin(&svg)) {
        *error = QStringLiteral("cannot start the SVG generator");
        return false;
    }
    r.paint(p, axis);
    return p.end();
}

bool paint_pdf(const TimelineRenderer& r, const view::TimeAxis& axis, QSize size, QIODevice& out,
               QString* error) {
    QPdfWriter pdf(&out);
    // 72 dpi: one logical pixel is one point, so the page is exactly the timeline.
    pdf.setResolution(72);
    pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(r.title_text());
    pdf.setCreator(QStringLiteral("Spindle"));
    QPainter p;
    if (!p.begin(&pdf)) {
        *error = QStringLiteral("cannot start the PDF writer");
        return false;
    }
    r.paint(p, axis);
    return p.end();
}

}  // namespace

ExportResult export_timeline(const view::RunModel& model, const ExportOptions& options,
                             const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    Format format;
    if (suffix == QLatin1String("png"))
        format = Format::png;
    else if (suffix == QLatin1String("svg"))
        format = Format::svg;
    else if (suffix == QLatin1String("pdf"))
        format = Format::pdf;
    else
        return failure(QStringLiteral("unsupported format \"%1\": use .png, .svg or .pdf")
                           .arg(suffix.isEmpty() ? QStringLiteral("(no extension)")
                                                 : QLatin1Char('.') + suffix));
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return failure(QStringLiteral("exporting needs a QGuiApplication"));
    if (options.width < 200 || options.width > 32000)
        return failure(
            QStringLiteral("width %1 px is out of range (200 to 32000)").arg(options.width));
    if (!(options.pixel_ratio >= 0.25 && options.pixel_ratio <= 8))
        return failure(
            QStringLiteral("pixel ratio %1 is out of range (0.25 to 8)").arg(options.pixel_ratio));

    view::Time start = 0;
    view::Time end = std::max<view::Time>(model.end_time(), view::TimeAxis::kMinSpan);
    if (options.range) {
        std::tie(start, end) = *options.range;
        if (end <= start) return failure(QStringLiteral("the time range is empty"));
    } else {
        end += end / 50;  // a little room after the last event
    }

    TimelineRenderer renderer(model, *options.theme);
    renderer.set_options(options.render);
    if (!options.title.isEmpty() || !options.note.isEmpty())
        renderer.set_title(options.title, options.note, options.note_alert);
    renderer.set_status(options.status);
    const view::TimeAxis axis = renderer.make_axis(start, end, options.width);
    const QSize size(options.width, static_cast<int>(std::ceil(renderer.content_height())));

    const ExportResult written = write_file(path, [&](QFileDevice& out, QString* error) {
        switch (format) {
            case Format::png:
                return paint_png(renderer, axis, size, options.pixel_ratio, out, error);
            case Format::svg:
                return paint_svg(renderer, axis, size, out, error);
            case Format::pdf:
                return paint_pdf(renderer, axis, size, out, error);
        }
        return false;
    });
    if (!written) return written;
    static constexpr const char* kNames[] = {"PNG", "SVG", "PDF"};
    QString message = QStringLiteral("wrote %1 (%2×%3 px %4")
                          .arg(path)
                          .arg(size.width())
                          .arg(size.height())
                          .arg(QLatin1String(kNames[static_cast<int>(format)]));
    if (format == Format::png) message += QStringLiteral(" at %1×").arg(options.pixel_ratio);
    message += QLatin1Char(')');
    return ExportResult{true, message};
}

ExportResult export_stage_png(const view::RunModel& model, view::Time at, int width,
                              double pixel_ratio, const QString& path, const QString& title,
                              const Theme& theme) {
    if (!(pixel_ratio >= 0.25 && pixel_ratio <= 8))
        return failure(
            QStringLiteral("pixel ratio %1 is out of range (0.25 to 8)").arg(pixel_ratio));
    const view::StageIndex index(model);
    StagePainter painter(index, theme);
    if (!title.isEmpty()) painter.set_title(title);
    // A still picture: every chip where it has arrived (no move half done).
    const view::StageSnapshot snapshot = index.at(at, 0);
    const QSize size(width, static_cast<int>(std::ceil(painter.height_for_width(width))));
    QImage image = make_image(size, pixel_ratio);
    if (image.isNull())
        return failure(QStringLiteral("cannot write %1: the image is too large").arg(path));
    {
        QPainter p(&image);
        painter.paint(p, snapshot, QRectF(QPointF(0, 0), QSizeF(size)));
    }
    const ExportResult written = write_file(path, [&](QFileDevice& out, QString* error) {
        // A device error reads as an encoding failure here, as it always has.
        if (write_png(image, out, error) && out.error() == QFileDevice::NoError) return true;
        *error = QStringLiteral("PNG encoding failed");
        return false;
    });
    if (!written) return written;
    return ExportResult{true, QStringLiteral("wrote %1 (%2×%3 px PNG at %4×)")
                                  .arg(path)
                                  .arg(size.width())
                                  .arg(size.height())
                                  .arg(pixel_ratio)};
}

}  // namespace spindle::render
