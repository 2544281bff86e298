#include "worker_table_model.h"

#include <algorithm>

#include "thread_life.h"

namespace spindle::ui {

namespace {

template <class S>
const S* span_at(const view::HugeVector<S>& spans, view::Time t) {
    auto it =
        std::partition_point(spans.begin(), spans.end(), [t](const S& s) { return s.start <= t; });
    if (it == spans.begin()) return nullptr;
    const S& s = *std::prev(it);
    return t < s.end || (s.start == s.end && s.start == t) ? &s : nullptr;
}

/// The parked span covering `t`; one that lasted to the run's end covers the end instant
/// too (the playhead's last position), as the Stage shows it.
const view::Span* parked_at(const view::RunModel& model, const view::WorkerTrack& w, view::Time t) {
    if (const view::Span* s = span_at(w.parked, t)) return s;
    auto it = std::partition_point(w.parked.begin(), w.parked.end(),
                                   [t](const view::Span& s) { return s.start <= t; });
    if (it == w.parked.begin()) return nullptr;
    const view::Span& s = *std::prev(it);
    return s.end >= model.end_time() && t >= model.end_time() ? &s : nullptr;
}

}  // namespace

view::Time WorkerTableModel::busy_time(const view::WorkerTrack& lane) {
    view::Time busy = 0;
    for (const view::PollSlice& p : lane.polls)
        busy += p.end - p.start;
    return busy;
}

double WorkerTableModel::busy_percent_of(const view::RunModel& model,
                                         const view::WorkerTrack& lane) {
    const view::Time life = model.end_time() - lane.started;
    return life > 0 ? 100.0 * static_cast<double>(busy_time(lane)) / static_cast<double>(life)
                    : 0.0;
}

void WorkerTableModel::rebuild() {
    // By id, as spindle-run's tables: core threads first, then blocking and OS threads in
    // the order they started (the role column tells them apart).
    for (const view::WorkerTrack& w : m_model->workers())
        m_ids.push_back(w.id);
}

int WorkerTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant WorkerTableModel::data(const QModelIndex& index, int role) const {
    if (!m_model || !index.isValid() || index.row() >= rowCount()) return {};
    const auto wid = static_cast<WorkerId>(id_at(index.row()));
    if (wid >= m_model->workers().size()) return {};
    const view::WorkerTrack& w = m_model->workers()[wid];
    const RunSummary::Worker* stats = m_model->summary().worker(wid);  // the one fold
    if (role == IdRole) return int(w.id);
    if (role == Qt::TextAlignmentRole) {
        const bool text =
            index.column() == worker || index.column() == worker_role || index.column() == now;
        return QVariant::fromValue(Qt::AlignVCenter | (text ? Qt::AlignLeft : Qt::AlignRight));
    }
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    switch (static_cast<Column>(index.column())) {
        case worker:
            return sort ? QVariant(int(w.id)) : QVariant(worker_label(*m_model, w.id));
        case worker_role:
            return QString::fromLatin1(to_string(w.role));
        case now: {
            if (const view::PollSlice* p = span_at(w.polls, m_time)) {
                const auto name = m_model->task_name(p->task);
                return QStringLiteral("polling %1")
                    .arg(name.empty() ? QStringLiteral("task %1").arg(p->task)
                                      : QString::fromUtf8(name.data(), qsizetype(name.size())));
            }
            if (m_time < w.started) return QStringLiteral("not started");
            if (const view::Span* s = parked_at(*m_model, w, m_time))
                return view::is_vacancy(*m_model, w, *s) ? QStringLiteral("ended")
                                                         : QStringLiteral("parked");
            return QStringLiteral("searching");
        }
        case busy_percent: {
            const double pct = busy_percent_of(*m_model, w);
            return sort ? QVariant(pct) : QVariant(QStringLiteral("%1 %").arg(pct, 0, 'f', 1));
        }
        case busy: {
            const view::Time b = stats ? stats->busy_ns : 0;
            return sort ? QVariant(qlonglong(b)) : QVariant(duration_text(b));
        }
        case polls:
            return qulonglong(stats ? stats->polls : 0);
        case steals:
            return qulonglong(stats ? stats->steals : 0);
        case stolen:
            return qulonglong(stats ? stats->stolen_tasks : 0);
        case parks:
            return qulonglong(stats ? stats->parks : 0);
        case column_count:
            break;
    }
    return {};
}

QVariant WorkerTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    static const char* const names[column_count] = {"Thread", "Role",   "Now",    "Busy %", "Busy",
                                                    "Polls",  "Steals", "Stolen", "Parks"};
    static const char* const tips[column_count] = {"Worker thread",
                                                   "Core worker or blocking-pool thread",
                                                   "What the worker does at the playhead",
                                                   "Poll time over the worker's life",
                                                   "Poll time",
                                                   "Number of polls",
                                                   "Steal operations by this worker",
                                                   "Tasks taken in those steals",
                                                   "Times the worker parked (went to sleep)"};
    if (section < 0 || section >= column_count) return {};
    if (role == Qt::DisplayRole) return QString::fromLatin1(names[section]);
    if (role == Qt::ToolTipRole) return QString::fromLatin1(tips[section]);
    return {};
}

}  // namespace spindle::ui
