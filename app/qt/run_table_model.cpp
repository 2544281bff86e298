#include "run_table_model.h"

#include <algorithm>

#include "time_format.h"
#include "worker_names.h"

namespace spindle::ui {

QString worker_label(const view::RunModel& model, WorkerId id) {
    if (id == view::kGlobalQueue) return QStringLiteral("global queue");
    return QString::fromStdString(view::worker_name(model, id));
}

QString duration_text(view::Time ns) {
    return QString::fromStdString(view::format_duration(ns));
}

TimeUnit time_unit_for(view::Time run_end) {
    return view::column_unit(run_end);
}

QString fixed_time(view::Time t, const TimeUnit& unit) {
    return QString::fromStdString(view::format_fixed(t, unit));
}

void RunTableModel::set_run(std::shared_ptr<const view::RunModel> model) {
    beginResetModel();
    m_model = std::move(model);
    m_ids.clear();
    m_time = m_model ? m_model->end_time() : 0;
    if (m_model) rebuild();
    endResetModel();
}

void RunTableModel::set_time(view::Time t) {
    if (t == m_time) return;
    m_time = t;
    const auto [first, last] = time_columns();
    if (first < 0 || m_ids.empty()) return;
    Q_EMIT dataChanged(index(0, first), index(static_cast<int>(m_ids.size()) - 1, last),
                       {Qt::DisplayRole, Qt::ForegroundRole, Qt::ToolTipRole, SortRole});
}

int RunTableModel::row_of(std::uint32_t id) const {
    const auto it = std::find(m_ids.begin(), m_ids.end(), id);
    return it == m_ids.end() ? -1 : static_cast<int>(it - m_ids.begin());
}

std::uint32_t RunTableModel::id_at(int row) const {
    return row >= 0 && row < static_cast<int>(m_ids.size()) ? m_ids[static_cast<std::size_t>(row)]
                                                            : 0;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

}  // namespace spindle::ui
