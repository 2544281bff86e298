#pragma once
// ExportDialog: asks where and how to export the timeline as an image (PNG, SVG
// or PDF, chosen by the file's extension): the visible range or the whole run,
// the width, the pixel ratio (PNG) and what to draw.
//
// State: only its widgets and the exporter the caller gave it; options() reads
// the widgets into render::ExportOptions. Export runs the exporter and closes the
// dialog only when it succeeded; otherwise the dialog stays open with the reason,
// so the user can pick another file. The last width, pixel ratio and toggles are
// remembered in QSettings by the caller.

#include <QDialog>

#include <functional>
#include <utility>

#include "export.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace spindle::ui {

class ExportDialog final : public QDialog {
    Q_OBJECT
public:
    /// `visible` is the timeline's visible range, `run_end` the run's end.
    ExportDialog(std::pair<view::Time, view::Time> visible, view::Time run_end,
                 const QString& suggested_path, QWidget* parent = nullptr);

    /// Writes the picture: "" when done, else why not.
    using Exporter = std::function<QString(const QString& path, const render::ExportOptions&)>;

    QString path() const;
    void set_path(const QString& path);
    /// Run by Export (after the file name's extension was checked).
    void set_exporter(Exporter exporter) { m_exporter = std::move(exporter); }
    /// Why the last Export failed ("" when it did not).
    QString error() const;
    /// What to export; the title fields are left for the caller.
    render::ExportOptions options() const;

    void set_width(int width);
    void set_pixel_ratio(double ratio);
    void set_legend(bool on);
    void set_wake_arrows(bool on);

    void accept() override;

private:
    void browse();
    void update_state();

    std::pair<view::Time, view::Time> m_visible;
    QLineEdit* m_path = nullptr;
    QRadioButton* m_visible_range = nullptr;
    QRadioButton* m_whole_run = nullptr;
    QSpinBox* m_width = nullptr;
    QDoubleSpinBox* m_ratio = nullptr;
    QCheckBox* m_title = nullptr;
    QCheckBox* m_legend = nullptr;
    QCheckBox* m_wakes = nullptr;
    QLabel* m_hint = nullptr;
    QLabel* m_error = nullptr;
    Exporter m_exporter;
};

}  // namespace spindle::ui
