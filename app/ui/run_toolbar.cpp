#include "run_toolbar.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>

#include "run_limits.h"

namespace spindle::ui {

namespace {

QString policy_name(Policy p) {
    switch (p) {
        case Policy::work_stealing:
            return QStringLiteral("work-stealing");
        case Policy::global_queue:
            return QStringLiteral("global-queue");
        case Policy::current_thread:
            return QStringLiteral("current-thread");
    }
    return {};
}

}  // namespace

RunToolbar::RunToolbar(const QList<QAction*>& run_actions, const QList<QAction*>& view_actions,
                       QWidget* parent)
    : QToolBar(tr("Run"), parent) {
    setObjectName(QStringLiteral("RunToolbar"));
    setMovable(false);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    addActions(run_actions);
    addSeparator();

    auto label = [this](const QString& text) {
        auto* l = new QLabel(text);
        l->setContentsMargins(8, 0, 4, 0);
        addWidget(l);
    };
    label(tr("Workers"));
    m_workers = new QSpinBox;
    // One below the minimum: the script's own setting.
    m_workers->setRange(session::kMinWorkers - 1, session::kMaxWorkers);
    m_workers->setSpecialValueText(tr("–"));
    m_workers->setToolTip(tr("Core worker threads (overrides the script's scenario{workers=})"));
    addWidget(m_workers);
    label(tr("Seed"));
    m_seed = new QLineEdit;
    m_seed->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));
    m_seed->setFixedWidth(90);
    m_seed->setToolTip(tr("Seed of every random choice: the same seed gives the same run"));
    addWidget(m_seed);
    label(tr("Policy"));
    m_policy = new QComboBox;
    for (Policy p : {Policy::work_stealing, Policy::global_queue, Policy::current_thread})
        m_policy->addItem(policy_name(p), static_cast<int>(p));
    m_policy->setToolTip(
        tr("Scheduler: per-worker queues with stealing, one shared queue, or "
           "a single thread"));
    addWidget(m_policy);
    m_schedule = new QLabel;
    m_schedule->setContentsMargins(8, 0, 4, 0);
    m_schedule->setToolTip(
        tr("The schedule strategy of this run (from Explore Schedules or the script); "
           "open the file again for the default scheduler"));
    m_schedule_action = addWidget(m_schedule);
    m_schedule_action->setVisible(false);
    addSeparator();
    addActions(view_actions);

    // Settings changes re-run at once (runs are quick); the debounce merges a
    // burst of spin-box steps into one run.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(400);
    connect(&m_debounce, &QTimer::timeout, this, &RunToolbar::changed);

    connect(m_workers, &QSpinBox::valueChanged, this, [this](int v) {
        if (v >= session::kMinWorkers)
            m_overrides.workers = v;
        else
            m_overrides.workers.reset();
        on_edit();
    });
    connect(m_seed, &QLineEdit::editingFinished, this, [this] {
        bool ok = false;
        const qulonglong v = m_seed->text().toULongLong(&ok);
        const std::uint64_t shown = m_overrides.seed ? *m_overrides.seed
                                    : m_shown_seed   ? *m_shown_seed
                                                     : ~std::uint64_t{0};
        if (!ok || v > session::kMaxSeed) {
            // 19 digits can pass 2^63 - 1, the largest seed the command lines take.
            m_seed->setText(shown == ~std::uint64_t{0} ? QString() : QString::number(shown));
            return;
        }
        if (v == shown) return;
        m_overrides.seed = v;
        on_edit();
    });
    connect(m_policy, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_overrides.policy = static_cast<Policy>(m_policy->itemData(i).toInt());
        m_workers->setEnabled(*m_overrides.policy != Policy::current_thread);
        on_edit();
    });
}

void RunToolbar::show_settings(const session::RunReport& report) {
    const bool scenario = !report.from_trace();
    m_editable = scenario;
    m_shown_seed = report.config.seed;
    const QSignalBlocker b1(m_workers), b2(m_seed), b3(m_policy);
    m_workers->setValue(report.config.workers);
    m_seed->setText(QString::number(report.config.seed));
    m_policy->setCurrentIndex(m_policy->findData(static_cast<int>(report.config.policy)));
    m_workers->setEnabled(scenario && report.config.policy != Policy::current_thread);
    m_seed->setEnabled(scenario);
    m_policy->setEnabled(scenario);
    const RuntimeConfig& c = report.config;
    QString schedule;
    if (c.strategy != Strategy::fixed) {
        schedule = tr("Schedule: %1").arg(QString::fromUtf8(to_string(c.strategy).data()));
        if (c.strategy == Strategy::pct) schedule += tr(", depth %1").arg(c.pct_depth);
    }
    if (c.jitter_pct)
        schedule += (schedule.isEmpty() ? tr("Schedule: ") : tr(", ")) +
                    tr("jitter %1 %").arg(c.jitter_pct);
    m_schedule->setText(schedule);
    m_schedule_action->setVisible(!schedule.isEmpty());
}

bool RunToolbar::schedule_shown() const {
    return m_schedule_action->isVisible();
}

void RunToolbar::set_editable(bool editable) {
    m_editable = editable;
    m_workers->setEnabled(editable && m_policy->currentData().toInt() !=
                                          static_cast<int>(Policy::current_thread));
    m_seed->setEnabled(editable);
    m_policy->setEnabled(editable);
}

void RunToolbar::on_edit() {
    // A trace's schedule is fixed: only a scenario re-runs with new settings.
    if (m_editable) m_debounce.start();
}

}  // namespace spindle::ui
