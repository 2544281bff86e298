#include "export_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "lane/lane.h"

namespace spindle::ui {

namespace {
QString format_of(const QString& path) {
    return QFileInfo(path).suffix().toLower();
}
bool supported(const QString& format) {
    return format == QLatin1String("png") || format == QLatin1String("svg") ||
           format == QLatin1String("pdf");
}
}  // namespace

ExportDialog::ExportDialog(std::pair<view::Time, view::Time> visible, view::Time run_end,
                           const QString& suggested_path, QWidget* parent)
    : QDialog(parent), m_visible(visible) {
    setWindowTitle(tr("Export Timeline"));
    auto* form = new QFormLayout;

    m_path = new QLineEdit(suggested_path);
    auto* browse = new QPushButton(tr("Browse…"));
    auto* path_row = new QHBoxLayout;
    path_row->addWidget(m_path, 1);
    path_row->addWidget(browse);
    form->addRow(tr("File:"), path_row);

    m_visible_range =
        new QRadioButton(tr("Visible range (%1 – %2)")
                             .arg(render::format_time(std::max<view::Time>(0, visible.first)),
                                  render::format_time(std::min(visible.second, run_end))));
    m_whole_run = new QRadioButton(tr("Whole run (0 – %1)").arg(render::format_time(run_end)));
    m_visible_range->setChecked(true);
    auto* range = new QVBoxLayout;
    range->addWidget(m_visible_range);
    range->addWidget(m_whole_run);
    form->addRow(tr("Range:"), range);

    m_width = new QSpinBox;
    m_width->setRange(400, 20000);
    m_width->setSingleStep(100);
    m_width->setSuffix(tr(" px"));
    m_width->setValue(1600);
    form->addRow(tr("Width:"), m_width);

    m_ratio = new QDoubleSpinBox;
    m_ratio->setRange(1.0, 4.0);
    m_ratio->setSingleStep(0.5);
    m_ratio->setDecimals(1);
    m_ratio->setSuffix(QStringLiteral("×"));
    m_ratio->setValue(2.0);
    form->addRow(tr("Pixel ratio (PNG):"), m_ratio);

    m_title = new QCheckBox(tr("Title line"));
    m_title->setChecked(true);
    m_legend = new QCheckBox(tr("Legend"));
    m_legend->setChecked(true);
    m_wakes = new QCheckBox(tr("Wake arrows"));
    auto* draw = new QVBoxLayout;
    draw->addWidget(m_title);
    draw->addWidget(m_legend);
    draw->addWidget(m_wakes);
    form->addRow(tr("Draw:"), draw);

    m_hint = new QLabel;
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: palette(mid);"));

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("export_error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::update_state);
    update_state();
    resize(520, sizeHint().height());
}

QString ExportDialog::path() const {
    return m_path->text().trimmed();
}

void ExportDialog::set_path(const QString& path) {
    m_path->setText(path);
}

QString ExportDialog::error() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

render::ExportOptions ExportDialog::options() const {
    render::ExportOptions o;
    if (m_visible_range->isChecked()) o.range = m_visible;
    o.width = m_width->value();
    o.pixel_ratio = m_ratio->value();
    o.render.title = m_title->isChecked();
    o.render.legend = m_legend->isChecked();
    o.render.wake_arrows = m_wakes->isChecked();
    return o;
}

void ExportDialog::set_width(int width) {
    m_width->setValue(width);
}
void ExportDialog::set_pixel_ratio(double ratio) {
    m_ratio->setValue(ratio);
}
void ExportDialog::set_legend(bool on) {
    m_legend->setChecked(on);
}
void ExportDialog::set_wake_arrows(bool on) {
    m_wakes->setChecked(on);
}

void ExportDialog::browse() {
    QString selected;
    const QString format = format_of(path());
    if (format == QLatin1String("svg"))
        selected = tr("SVG image (*.svg)");
    else if (format == QLatin1String("pdf"))
        selected = tr("PDF document (*.pdf)");
    else
        selected = tr("PNG image (*.png)");
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Timeline"), path(),
        tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"), &selected);
    if (file.isEmpty()) return;
    QString chosen = file;
    if (!supported(format_of(chosen))) {
        if (selected.contains(QLatin1String("*.svg")))
            chosen += QStringLiteral(".svg");
        else if (selected.contains(QLatin1String("*.pdf")))
            chosen += QStringLiteral(".pdf");
        else
            chosen += QStringLiteral(".png");
    }
    m_path->setText(chosen);
}

void ExportDialog::update_state() {
    m_error->hide();  // it was about the file name before this one
    const QString format = format_of(path());
    m_ratio->setEnabled(format == QLatin1String("png"));
    if (path().isEmpty())
        m_hint->setText(tr("Choose a file: .png, .svg or .pdf."));
    else if (!supported(format))
        m_hint->setText(tr("The extension picks the format: use .png, .svg or .pdf."));
    else
        m_hint->setText(format == QLatin1String("png")
                            ? tr("A bitmap; a pixel ratio of 2 is sharp on high-DPI screens.")
                            : tr("A vector file: it stays sharp at any size."));
}

void ExportDialog::accept() {
    if (!supported(format_of(path()))) {
        QMessageBox::warning(this, tr("Export Timeline"),
                             tr("The file name must end in .png, .svg or .pdf."));
        return;
    }
    if (m_exporter) {
        const QString why = m_exporter(path(), options());
        if (!why.isEmpty()) {
            m_error->setText(tr("Could not export: %1").arg(why));
            m_error->show();
            m_path->setFocus();
            return;
        }
    }
    QDialog::accept();
}

}  // namespace spindle::ui
