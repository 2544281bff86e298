#include "export.h"

#include <QBuffer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <cmath>
#include <functional>
#include <optional>

#include "atomic_write.h"
#include "run_limits.h"
#include "stage/stage_painter.h"
#include "stage_model.h"

namespace spindle::render {

namespace {

/// Height (logical px) of a timeline picture cut because it could not show every lane.
constexpr double kCutHeight = 4000;
/// Below this, a cut picture would show too little: it is refused instead.
constexpr double kMinCutHeight = 600;

enum class Format { png, svg, pdf };

ExportResult failure(QString message) {
    return ExportResult{false, std::move(message)};
}

/// Encodes the picture into `out`; false with the reason in `error` on failure.
using Writer = std::function<bool(QIODevice& out, QString* error)>;

/// Encodes the picture in memory, then writes it to `path` through the one atomic
/// writer (session::AtomicFile), which checks every write and the flush before it
/// renames. Encoders that ignore a device's write errors (QSvgGenerator does) can
/// then never leave a truncated file: on any failure `path` is left as it was.
ExportResult write_file(const QString& path, const Writer& write) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!write(buffer, &error))
        return failure(QStringLiteral("cannot write %1: %2")
                           .arg(path, error.isEmpty() ? QStringLiteral("painting failed") : error));
    session::AtomicFile file(path.toStdString());
    file.stream().write(bytes.constData(), bytes.size());
    if (const std::string failed = file.commit(); !failed.empty())
        return failure(QString::fromStdString(failed));  // "cannot write PATH: reason"
    return ExportResult{true, {}};
}

/// Why a `size` picture at `ratio` is too big to make (nothing when it is not): its
/// pixels are held in memory while it is encoded.
std::optional<QString> too_many_pixels(QSize size, double ratio) {
    const double pixels = size.width() * ratio * (size.height() * ratio);
    if (pixels <= static_cast<double>(session::kMaxExportPixels)) return std::nullopt;
    return QStringLiteral(
               "the picture would be %1×%2 device pixels (%3 megapixels; at most %4): lower the "
               "width or the pixel ratio")
        .arg(std::lround(size.width() * ratio))
        .arg(std::lround(size.height() * ratio))
        .arg(std::llround(pixels / 1e6))
        .arg(session::kMaxExportPixels / 1'000'000);
}

/// An image `size` logical pixels at `ratio` device pixels each (null: too large).
QImage make_image(QSize size, double ratio) {
    QImage image(QSize(static_cast<int>(std::lround(size.width() * ratio)),
                       static_cast<int>(std::lround(size.height() * ratio))),
                 QImage::Format_RGB32);
    if (!image.isNull()) image.setDevicePixelRatio(ratio);
    return image;
}

/// Why a width or pixel ratio is outside what an export accepts (nothing if fine).
std::optional<QString> bad_size(int width, double ratio) {
    if (width < session::kMinExportWidth || width > session::kMaxExportWidth)
        return QStringLiteral("width %1 px is out of range (%2 to %3)")
            .arg(width)
            .arg(session::kMinExportWidth)
            .arg(session::kMaxExportWidth);
    if (!(ratio >= session::kMinPixelRatio && ratio <= session::kMaxPixelRatio))
        return QStringLiteral("pixel ratio %1 is out of range (%2 to %3)")
            .arg(ratio)
            .arg(session::kMinPixelRatio)
            .arg(session::kMaxPixelRatio);
    return std::nullopt;
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
    if (auto big = too_many_pixels(size, ratio)) {
        *error = *big;
        return false;
    }
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
        r.paint(p, axis, QRectF(QPointF(0, 0), QSizeF(size)));  // nothing past the cut
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
    r.paint(p, axis, QRectF(QPointF(0, 0), QSizeF(size)));  // nothing past the cut
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
    r.paint(p, axis, QRectF(QPointF(0, 0), QSizeF(size)));  // nothing past the cut
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
    if (auto bad = bad_size(options.width, options.pixel_ratio)) return failure(*bad);

    TimelineRenderer renderer(model, *options.theme);
    renderer.set_options(options.render);
    renderer.set_status(options.status);
    // A run with very many tasks or threads would make a picture taller than an image
    // may be (its pixels are held while encoding; a vector file that tall is no use
    // either): collapse the task section, cut what still does not fit, and say so.
    const double ratio = format == Format::png ? options.pixel_ratio : 1.0;
    const double max_height = std::floor(static_cast<double>(session::kMaxExportPixels) /
                                         (options.width * ratio * ratio));
    QString fitted;
    const double full_height = renderer.content_height(options.width);
    if (full_height > max_height && options.render.tasks && !options.render.tasks_collapsed) {
        RenderOptions collapsed = options.render;
        collapsed.tasks_collapsed = true;
        renderer.set_options(collapsed);
        // Only when the tasks are what makes it tall (not a few tasks among many threads).
        if (renderer.content_height(options.width) * 2 <= full_height)
            fitted = QStringLiteral("tasks collapsed: %1 task lanes would not fit in one picture")
                         .arg(model.tasks().size());
        else
            renderer.set_options(options.render);
    }
    auto set_title = [&] {
        QString note = options.note;
        if (!fitted.isEmpty())
            note = note.isEmpty() ? fitted : note + QStringLiteral(" · ") + fitted;
        if (!options.title.isEmpty() || !note.isEmpty())
            renderer.set_title(options.title, note, options.note_alert);
    };
    set_title();
    // A picture that cannot show everything shows its top at a height one can still look
    // at (and encode in a moment), not at the largest size memory allows.
    // (When not even that much fits, the width and pixel ratio are what is too large:
    // the picture is refused, saying so.)
    double height = renderer.content_height(options.width);  // measured with the note
    if (height > max_height && max_height >= kMinCutHeight) {
        height = std::min(max_height, kCutHeight);
        if (!fitted.isEmpty()) fitted += QStringLiteral("; ");
        fitted += QStringLiteral("cut at %1 px: the lanes below are not shown")
                      .arg(static_cast<long long>(height));
        set_title();
    }

    view::Time start = 0;
    view::Time end = std::max<view::Time>(model.end_time(), view::TimeAxis::kMinSpan);
    if (options.range) {
        std::tie(start, end) = *options.range;
        if (end <= start) return failure(QStringLiteral("the time range is empty"));
    } else {
        // A little room after the last event; more for a deadlock's stuck waits.
        end += std::max<view::Time>(renderer.room_after_end(), end / 50);
    }
    const view::TimeAxis axis = renderer.make_axis(start, end, options.width);
    const QSize size(
        options.width,
        static_cast<int>(std::min(std::ceil(renderer.content_height(options.width)), height)));

    const ExportResult written = write_file(path, [&](QIODevice& out, QString* error) {
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
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return failure(QStringLiteral("exporting needs a QGuiApplication"));
    if (auto bad = bad_size(width, pixel_ratio)) return failure(*bad);
    const view::StageIndex index(model);
    StagePainter painter(index, theme);
    if (!title.isEmpty()) painter.set_title(title);
    // A still picture: every chip where it has arrived (no move half done).
    const view::StageSnapshot snapshot = index.at(at, 0);
    const QSize size(width, static_cast<int>(std::ceil(painter.height_for_width(width))));
    if (auto big = too_many_pixels(size, pixel_ratio))
        return failure(QStringLiteral("cannot write %1: %2").arg(path, *big));
    QImage image = make_image(size, pixel_ratio);
    if (image.isNull())
        return failure(QStringLiteral("cannot write %1: the image is too large").arg(path));
    {
        QPainter p(&image);
        painter.paint(p, snapshot, QRectF(QPointF(0, 0), QSizeF(size)));
    }
    const ExportResult written = write_file(
        path, [&](QIODevice& out, QString* error) { return write_png(image, out, error); });
    if (!written) return written;
    return ExportResult{true, QStringLiteral("wrote %1 (%2×%3 px PNG at %4×)")
                                  .arg(path)
                                  .arg(size.width())
                                  .arg(size.height())
                                  .arg(pixel_ratio)};
}

}  // namespace spindle::render
