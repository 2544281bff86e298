#pragma once
// Image export: export_timeline writes a run's timeline as an image file (PNG,
// SVG or PDF), painted by the same TimelineRenderer the window uses;
// export_stage_png writes its Stage at one instant, painted by the StagePainter
// the Stage view uses.
//
// State: none kept between calls. Each call builds its own renderer over the
// borrowed RunModel, encodes the picture in memory and writes it through
// session::AtomicFile (the one atomic writer), so a failed export leaves neither
// the file nor a partial file behind. Needs a
// QGuiApplication (fonts); call from the thread that owns it.

#include <QString>

#include <optional>
#include <utility>

#include "outcome.h"
#include "run_model.h"
#include "timeline/timeline_renderer.h"

namespace spindle::render {

struct ExportOptions {
    /// The time range to show [from, to) in ns; the whole run when unset.
    std::optional<std::pair<view::Time, view::Time>> range;
    int width = 1600;          ///< image width in (logical) pixels, label column included
    double pixel_ratio = 2.0;  ///< PNG only: device pixels per logical pixel
    QString title;             ///< the title's name (default: the run's scenario label)
    QString note;              ///< an optional second title line (a description, an error)
    bool note_alert = false;   ///< the note is an error (drawn in the alert colour)
    /// How the run ended, as its session reported it (unset: from the run's events,
    /// which cannot tell a cancelled run from one over budget).
    std::optional<session::RunStatus> status;
    const Theme* theme = &Theme::light();  ///< light unless asked (pictures go into documents)
    /// What is drawn. Export defaults: title, ruler, labels and the legend on.
    RenderOptions render = [] {
        RenderOptions r;
        r.legend = true;
        return r;
    }();
};

struct ExportResult {
    bool ok = false;
    QString message;  ///< what was written ("wrote 1600×540 PNG to ...") or why not
    explicit operator bool() const { return ok; }
};

/// Writes the timeline of `model` to `path`; the format comes from the extension
/// (.png, .svg, .pdf, any case). Anything else fails with "unsupported format".
ExportResult export_timeline(const view::RunModel& model, const ExportOptions& options,
                             const QString& path);

/// Writes the stage of `model` at `at` to `path` as a PNG. `width` in logical
/// pixels; the height is what the stage needs. A still: chips are drawn where they
/// arrived, not mid-move.
ExportResult export_stage_png(const view::RunModel& model, view::Time at, int width,
                              double pixel_ratio, const QString& path, const QString& title = {},
                              const Theme& theme = Theme::light());

}  // namespace spindle::render
