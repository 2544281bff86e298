#include "schedules_dock.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <array>

#include "gui_theme.h"
#include "theme.h"

namespace spindle::ui {

namespace {

constexpr int kLabelChars = 48;  ///< a chart category's longest label

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString number(std::uint64_t n) {
    return QLocale().toString(static_cast<qulonglong>(n));
}

/// "pct, depth 3, jitter 10 %" — the schedule settings of an exploration.
QString schedule_words(const RuntimeConfig& c) {
    QString s = QString::fromUtf8(to_string(c.strategy).data(),
                                  static_cast<int>(to_string(c.strategy).size()));
    if (c.strategy == Strategy::pct) s += QObject::tr(", depth %1").arg(c.pct_depth);
    if (c.jitter_pct) s += QObject::tr(", jitter %1 %").arg(c.jitter_pct);
    return s;
}

QColor severity_colour(session::Severity s, const render::Theme& t) {
    switch (s) {
        case session::Severity::ok:
            return t.ok;
        case session::Severity::warn:
            return t.warn;
        case session::Severity::info:
            return t.text_dim;
        case session::Severity::alert:
            break;
    }
    return t.alert;
}

QTableWidgetItem* cell(const QString& text, bool numeric) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (numeric) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

SchedulesView::SchedulesView(QWidget* parent) : QWidget(parent) {
    m_header =
        new QLabel(tr("Run › Explore Schedules… runs the open scenario under many "
                      "schedules and groups the outcomes here."));
    m_header->setWordWrap(true);
    m_header->setContentsMargins(6, 2, 6, 0);
    m_progress = new QProgressBar;
    m_progress->setMaximumHeight(16);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop exploring and show the classes found so far"));
    connect(m_cancel, &QPushButton::clicked, this, &SchedulesView::cancel_requested);
    m_compare = new QPushButton(tr("Compare with shortest passing"));
    m_compare->setToolTip(
        tr("Show the selected failing class's shortest run above the "
           "shortest completed run, on one time axis, with the first "
           "difference marked"));
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const int failing = failing_row(), passing = passing_row();
        if (failing >= 0 && passing >= 0) Q_EMIT compare_requested(failing, passing);
    });
    auto* header_row = new QHBoxLayout;
    header_row->setContentsMargins(0, 0, 6, 0);
    header_row->addWidget(m_header, 1);
    header_row->addWidget(m_compare);
    auto* progress_row = new QHBoxLayout;
    progress_row->setContentsMargins(6, 0, 6, 0);
    progress_row->addWidget(m_progress, 1);
    progress_row->addWidget(m_cancel);

    m_table = new QTableWidget(0, 5);
    m_table->setHorizontalHeaderLabels(
        {tr("Outcome"), tr("Count"), tr("Share"), tr("First seed"), tr("Shortest seed")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 5; ++c)
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setToolTip(tr("Double-click a class to open its shortest run"));
    connect(m_table, &QTableWidget::cellDoubleClicked, this,
            [this](int row, int) { open_row(row); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &SchedulesView::update_compare);

    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 8, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->hide();
    m_chart = new QChartView(chart);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setFrameShape(QFrame::NoFrame);
    m_chart->setMinimumWidth(220);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_table);
    split->addWidget(m_chart);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({600, 400});  // the chart's labels need room too

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header_row);
    layout->addLayout(progress_row);
    layout->addWidget(split, 1);
    m_progress->hide();
    m_cancel->hide();
    m_compare->hide();
    apply_theme();
}

SchedulesView::~SchedulesView() = default;

void SchedulesView::show_started(const QString& scenario, std::uint64_t runs) {
    m_running = true;
    m_header->setText(
        tr("Exploring %1 schedules of %2…").arg(number(runs), QFileInfo(scenario).fileName()));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(tr("0 of %1").arg(number(runs)));
    m_progress->show();
    m_cancel->setEnabled(true);
    m_cancel->show();
    m_compare->hide();
}

void SchedulesView::show_progress(std::uint64_t done, std::uint64_t asked, std::uint64_t classes) {
    if (!m_running || asked == 0) return;
    m_progress->setValue(static_cast<int>(done * 1000 / asked));
    m_progress->setFormat(
        tr("%1 of %2 · %3 classes").arg(number(done), number(asked), number(classes)));
}

void SchedulesView::show_result(std::shared_ptr<const session::ExploreResult> result,
                                std::shared_ptr<const session::ExploreRequest> request) {
    m_running = false;
    m_result = std::move(result);
    m_request = std::move(request);
    m_progress->hide();
    m_cancel->hide();
    const QString file = QFileInfo(qs(m_request->run.path.string())).fileName();
    if (!m_result->error.empty()) {
        m_header->setText(tr("Could not explore %1: %2").arg(file, qs(m_result->error)));
    } else {
        const std::uint64_t last = m_result->base_seed + (m_result->runs ? m_result->runs - 1 : 0);
        QString text = tr("%1 schedules of %2 · %3 · seeds %4–%5 · %6 classes")
                           .arg(number(m_result->runs), file, schedule_words(m_result->config),
                                QString::number(m_result->base_seed), QString::number(last),
                                QString::number(m_result->classes.size()));
        if (m_result->cancelled) text += tr(" · cancelled");
        m_header->setText(text + tr(" — double-click a class to open its shortest run"));
    }
    rebuild_table();
    rebuild_chart();
    update_compare();
}

int SchedulesView::failing_row() const {
    if (!m_result) return -1;
    const auto& classes = m_result->classes;
    const int selected = m_table->currentRow();
    if (selected >= 0 && selected < static_cast<int>(classes.size()) &&
        classes[static_cast<std::size_t>(selected)].status != session::RunStatus::completed)
        return selected;
    for (std::size_t i = 0; i < classes.size(); ++i)
        if (classes[i].status != session::RunStatus::completed) return static_cast<int>(i);
    return -1;
}

int SchedulesView::passing_row() const {
    if (!m_result) return -1;
    for (std::size_t i = 0; i < m_result->classes.size(); ++i)
        if (m_result->classes[i].status == session::RunStatus::completed)
            return static_cast<int>(i);
    return -1;
}

void SchedulesView::update_compare() {
    const bool possible = !m_running && failing_row() >= 0 && passing_row() >= 0;
    m_compare->setVisible(possible);
    if (possible)
        m_compare->setToolTip(
            tr("Show \u201c%1\u201d (seed %2) above the shortest completed run (seed %3), on "
               "one time axis, with the first difference marked")
                .arg(qs(m_result->classes[static_cast<std::size_t>(failing_row())].label))
                .arg(m_result->classes[static_cast<std::size_t>(failing_row())].shortest_seed)
                .arg(m_result->classes[static_cast<std::size_t>(passing_row())].shortest_seed));
}

void SchedulesView::open_row(int row) {
    if (!m_result || row < 0 || row >= static_cast<int>(m_result->classes.size())) return;
    Q_EMIT open_requested(row);
}

void SchedulesView::rebuild_table() {
    m_table->setRowCount(0);
    if (!m_result) return;
    const render::Theme& t = gui_theme();
    const auto& classes = m_result->classes;
    m_table->setRowCount(static_cast<int>(classes.size()));
    for (int row = 0; row < static_cast<int>(classes.size()); ++row) {
        const session::OutcomeClass& k = classes[static_cast<std::size_t>(row)];
        const double share = m_result->runs ? 100.0 * static_cast<double>(k.count) /
                                                  static_cast<double>(m_result->runs)
                                            : 0.0;
        auto* outcome = cell(qs(k.label), false);
        outcome->setForeground(severity_colour(session::severity(k.status), t));
        QString tip = qs(k.example.empty() ? k.label : k.example);
        if (!k.location.empty()) tip += QLatin1Char('\n') + qs(k.location);
        tip += QLatin1Char('\n') +
               tr("Replay: %1")
                   .arg(qs(session::replay_command(*m_request, *m_result, k.shortest_seed)));
        outcome->setToolTip(tip);
        m_table->setItem(row, 0, outcome);
        m_table->setItem(row, 1, cell(number(k.count), true));
        m_table->setItem(row, 2, cell(QString::number(share, 'f', 1) + QStringLiteral(" %"), true));
        m_table->setItem(row, 3, cell(QString::number(k.first_seed), true));
        auto* shortest = cell(QString::number(k.shortest_seed), true);
        shortest->setToolTip(tr("%1 events").arg(number(k.shortest_events)));
        m_table->setItem(row, 4, shortest);
    }
}

void SchedulesView::rebuild_chart() {
    QChart* chart = m_chart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* a : chart->axes()) {
        chart->removeAxis(a);
        delete a;
    }
    if (!m_result || m_result->classes.empty()) return;
    const render::Theme& t = gui_theme();
    const auto& classes = m_result->classes;

    // One bar per class, most frequent at the top (a category axis counts upwards):
    // a stacked series with one set per colour, each class's count in its own set.
    std::array<QBarSet*, 4> sets{};  // by Severity
    const std::array<QString, 4> names{tr("completed"), tr("info"), tr("budget"), tr("failing")};
    auto* series = new QHorizontalStackedBarSeries;
    for (std::size_t s = 0; s < sets.size(); ++s) {
        sets[s] = new QBarSet(names[s]);
        const QColor c = severity_colour(static_cast<session::Severity>(s), t);
        sets[s]->setColor(c);
        sets[s]->setBorderColor(c.darker(120));
        sets[s]->setLabelColor(t.text_on(c));
    }
    QStringList categories;
    std::uint64_t top = 0;
    for (std::size_t i = classes.size(); i-- > 0;) {
        const session::OutcomeClass& k = classes[i];
        QString label = qs(k.label);
        if (label.size() > kLabelChars) label = label.left(kLabelChars - 1) + QChar(0x2026);
        categories << QStringLiteral("%1 · %2").arg(i + 1).arg(label);  // unique
        const auto sev = static_cast<std::size_t>(session::severity(k.status));
        for (std::size_t s = 0; s < sets.size(); ++s)
            *sets[s] << (s == sev ? static_cast<qreal>(k.count) : 0.0);
        top = std::max(top, k.count);
    }
    for (QBarSet* s : sets)
        series->append(s);
    series->setBarWidth(0.7);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
    chart->addSeries(series);

    auto* y = new QBarCategoryAxis;
    y->append(categories);
    auto* x = new QValueAxis;
    x->setRange(0, static_cast<qreal>(top));
    x->applyNiceNumbers();  // round ticks: 0, 200, 400, 600
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTitleText(tr("schedules"));
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(x), static_cast<QAbstractAxis*>(y)}) {
        QFont f = axis->labelsFont();
        f.setPixelSize(t.font_px - 1);
        axis->setLabelsFont(f);
        axis->setTitleFont(f);
        axis->setLabelsColor(t.text_dim);
        axis->setTitleBrush(t.text_dim);
        axis->setLinePenColor(t.separator);
        axis->setGridLineColor(t.grid);
    }
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
}

void SchedulesView::apply_theme() {
    const render::Theme& t = gui_theme();
    m_chart->chart()->setBackgroundBrush(t.background);
    m_chart->setBackgroundBrush(t.background);
    rebuild_table();
    rebuild_chart();
}

}  // namespace spindle::ui
