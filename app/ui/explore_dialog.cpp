#include "explore_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <thread>

#include "app_settings.h"

namespace spindle::ui {

namespace {

unsigned cores() {
    return std::max(1u, std::thread::hardware_concurrency());
}

const QString kStrategy = QStringLiteral("explore/strategy");
const QString kDepth = QStringLiteral("explore/depth");
const QString kJitter = QStringLiteral("explore/jitter_pct");
const QString kRuns = QStringLiteral("explore/runs");
const QString kJobs = QStringLiteral("explore/jobs");
constexpr std::uint64_t kMaxRuns = 1'000'000;  // the dialog's spin box
constexpr unsigned kMaxJobs = 64;

/// `key`'s value as an integer in [lo, hi], or `fallback` when absent or not one.
std::int64_t stored(const QSettings& s, const QString& key, std::int64_t lo, std::int64_t hi,
                    std::int64_t fallback) {
    bool ok = false;
    const qlonglong v = s.value(key).toLongLong(&ok);
    return ok && v >= lo && v <= hi ? v : fallback;
}

}  // namespace

ExploreSettings load_explore_settings() {
    const QSettings s = app_settings();
    ExploreSettings e;
    if (auto strategy = parse_strategy(s.value(kStrategy).toString().toStdString()))
        e.strategy = *strategy;
    e.depth = static_cast<std::uint32_t>(stored(s, kDepth, 1, kMaxPctDepth, e.depth));
    e.jitter_pct = static_cast<std::uint32_t>(stored(s, kJitter, 0, kMaxJitterPct, e.jitter_pct));
    e.runs = static_cast<std::uint64_t>(stored(s, kRuns, 1, static_cast<std::int64_t>(kMaxRuns),
                                               static_cast<std::int64_t>(e.runs)));
    e.jobs = static_cast<unsigned>(stored(s, kJobs, 0, kMaxJobs, e.jobs));
    return e;
}

void save_explore_settings(const ExploreSettings& e) {
    QSettings s = app_settings();
    s.setValue(kStrategy, QString::fromUtf8(to_string(e.strategy).data(),
                                            static_cast<int>(to_string(e.strategy).size())));
    s.setValue(kDepth, e.depth);
    s.setValue(kJitter, e.jitter_pct);
    s.setValue(kRuns, static_cast<qulonglong>(e.runs));
    s.setValue(kJobs, e.jobs == cores() ? 0u : e.jobs);
}

ExploreDialog::ExploreDialog(const ExploreSettings& initial, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Explore Schedules"));
    auto* form = new QFormLayout;

    m_strategy = new QComboBox;
    m_strategy->addItem(tr("pct — random priorities, a few changes"),
                        static_cast<int>(Strategy::pct));
    m_strategy->addItem(tr("random — every choice at random"), static_cast<int>(Strategy::random));
    m_strategy->addItem(tr("fixed — the default scheduler (seed only)"),
                        static_cast<int>(Strategy::fixed));
    m_strategy->setCurrentIndex(m_strategy->findData(static_cast<int>(initial.strategy)));
    m_strategy->setToolTip(
        tr("How each schedule makes its choices; pct finds bugs that need a few preemptions"));
    form->addRow(tr("&Strategy:"), m_strategy);

    m_depth = new QSpinBox;
    m_depth->setRange(1, kMaxPctDepth);
    m_depth->setValue(static_cast<int>(initial.depth));
    m_depth->setToolTip(tr("PCT's bug depth: priorities change at depth − 1 random steps"));
    form->addRow(tr("&Depth:"), m_depth);

    m_jitter = new QSpinBox;
    m_jitter->setRange(0, static_cast<int>(kMaxJitterPct));
    m_jitter->setSuffix(tr(" %"));
    m_jitter->setValue(static_cast<int>(initial.jitter_pct));
    m_jitter->setToolTip(tr("Each poll's and work()'s cost varies by up to ± this much"));
    form->addRow(tr("&Jitter:"), m_jitter);

    m_runs = new QSpinBox;
    m_runs->setRange(1, static_cast<int>(kMaxRuns));
    m_runs->setValue(static_cast<int>(std::min<std::uint64_t>(initial.runs, kMaxRuns)));
    m_runs->setToolTip(tr("How many schedules (seeds base … base + N − 1)"));
    form->addRow(tr("Sc&hedules:"), m_runs);

    m_jobs = new QSpinBox;
    m_jobs->setRange(1, static_cast<int>(std::max(kMaxJobs, cores())));
    m_jobs->setValue(static_cast<int>(initial.jobs ? initial.jobs : cores()));
    m_jobs->setToolTip(tr("Schedules run side by side (default: one per core)"));
    form->addRow(tr("Th&reads:"), m_jobs);

    auto depth_enabled = [this] {
        m_depth->setEnabled(m_strategy->currentData().toInt() == static_cast<int>(Strategy::pct));
    };
    connect(m_strategy, &QComboBox::currentIndexChanged, this, depth_enabled);
    depth_enabled();

    auto* note =
        new QLabel(tr("Runs the open scenario with its workers and policy under many schedules and "
                      "groups the outcomes. Double-click a class in the Schedules dock to open its "
                      "shortest run."));
    note->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Explore"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

ExploreSettings ExploreDialog::settings() const {
    ExploreSettings s;
    s.strategy = static_cast<Strategy>(m_strategy->currentData().toInt());
    s.depth = static_cast<std::uint32_t>(m_depth->value());
    s.jitter_pct = static_cast<std::uint32_t>(m_jitter->value());
    s.runs = static_cast<std::uint64_t>(m_runs->value());
    s.jobs = static_cast<unsigned>(m_jobs->value());
    return s;
}

}  // namespace spindle::ui
