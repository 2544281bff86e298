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

namespace spindle::ui {

namespace {

unsigned cores() {
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

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
    m_runs->setRange(1, 1'000'000);
    m_runs->setValue(static_cast<int>(std::min<std::uint64_t>(initial.runs, 1'000'000)));
    m_runs->setToolTip(tr("How many schedules (seeds base … base + N − 1)"));
    form->addRow(tr("Sc&hedules:"), m_runs);

    m_jobs = new QSpinBox;
    m_jobs->setRange(1, static_cast<int>(std::max(64u, cores())));
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
