#include "task_table_model.h"

#include <QBrush>
#include <QColor>

#include <algorithm>

#include "text_colours.h"

namespace spindle::ui {

namespace {

QString resource_text(const view::RunModel& model, const view::TaskSpan& s) {
    if (s.op == WaitOp::join) {
        const auto name = model.task_name(s.resource);
        return name.empty() ? QStringLiteral("task %1").arg(s.resource)
                            : QStringLiteral("'%1'").arg(
                                  QString::fromUtf8(name.data(), qsizetype(name.size())));
    }
    if (s.op == WaitOp::sleep) return QString();
    if (const view::ResourceTrack* r = model.resource(s.resource); r && !r->name.empty())
        return QStringLiteral("'%1'").arg(QString::fromStdString(r->name));
    return QStringLiteral("#%1").arg(s.resource);
}

QString outcome_text(TaskOutcome o) {
    switch (o) {
        case TaskOutcome::completed:
            return QStringLiteral("completed");
        case TaskOutcome::failed:
            return QStringLiteral("failed");
        case TaskOutcome::aborted:
            return QStringLiteral("aborted");
    }
    return {};
}

}  // namespace

view::Time TaskTableModel::lifetime(const view::RunModel& model, const view::TaskInfo& task) {
    return std::max<view::Time>(0, task.ended.value_or(model.end_time()) - task.spawned);
}

QString TaskTableModel::state_text(const view::RunModel& model, const view::TaskInfo& task,
                                   view::Time t) {
    if (t < task.spawned) return QStringLiteral("not spawned");
    if (task.ended && t >= *task.ended)
        return task.outcome ? outcome_text(*task.outcome) : QStringLiteral("done");
    if (task.spans.empty()) return QStringLiteral("idle");
    // Spans are contiguous and sorted: the last one starting at or before t.
    auto it = std::partition_point(task.spans.begin(), task.spans.end(),
                                   [t](const view::TaskSpan& s) { return s.start <= t; });
    const view::TaskSpan& s = it == task.spans.begin() ? task.spans.front() : *std::prev(it);
    switch (s.state) {
        case view::TaskState::queued:
            return s.worker == view::kGlobalQueue
                       ? QStringLiteral("queued (global)")
                       : QStringLiteral("queued (%1)").arg(worker_label(model, s.worker));
        case view::TaskState::running:
            return QStringLiteral("running on %1").arg(worker_label(model, s.worker));
        case view::TaskState::waiting: {
            const QString what = resource_text(model, s);
            const QString op = QString::fromUtf8(to_string(s.op).data());
            return what.isEmpty() ? QStringLiteral("waiting: %1").arg(op)
                                  : QStringLiteral("waiting: %1 %2").arg(op, what);
        }
        case view::TaskState::blocked: {
            const QString what = resource_text(model, s);
            const QString op = QString::fromUtf8(to_string(s.op).data());
            return QStringLiteral("blocked on %1: %2 %3")
                .arg(worker_label(model, s.worker), op, what)
                .trimmed();
        }
        case view::TaskState::idle:
            return QStringLiteral("idle");
        case view::TaskState::done:
            return task.outcome ? outcome_text(*task.outcome) : QStringLiteral("done");
    }
    return {};
}

void TaskTableModel::rebuild() {
    for (const view::TaskInfo& t : m_model->tasks())
        if (t.id != 0) m_ids.push_back(t.id);
}

int TaskTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant TaskTableModel::data(const QModelIndex& index, int role) const {
    if (!m_model || !index.isValid()) return {};
    const view::TaskInfo* t = m_model->task(id_at(index.row()));
    if (!t) return {};
    const view::Time life = lifetime(*m_model, *t);
    const view::Time idle_ns = std::max<view::Time>(0, life - t->busy - t->scheduled_wait);
    if (role == IdRole) return t->id;
    if (role == Qt::ForegroundRole) {
        if (t->outcome == TaskOutcome::failed) return QBrush(text_colour(TextTone::alert));
        if (index.column() == state && m_time < t->spawned)
            return QBrush(text_colour(TextTone::quiet));
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        const bool text =
            index.column() == name || index.column() == state || index.column() == last_worker;
        return QVariant::fromValue(Qt::AlignVCenter | (text ? Qt::AlignLeft : Qt::AlignRight));
    }
    if (role == Qt::ToolTipRole) {
        if (!t->error.empty()) return QString::fromStdString(t->error);
        if (index.column() == state) return QStringLiteral("State at the playhead");
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    switch (static_cast<Column>(index.column())) {
        case id:
            return t->id;
        case name:
            return QString::fromStdString(t->name);
        case state:
            return state_text(*m_model, *t, m_time);
        case total:
            return sort ? QVariant(qlonglong(life)) : QVariant(duration_text(life));
        case busy:
            return sort ? QVariant(qlonglong(t->busy)) : QVariant(duration_text(t->busy));
        case idle:
            return sort ? QVariant(qlonglong(idle_ns)) : QVariant(duration_text(idle_ns));
        case scheduled_wait:
            return sort ? QVariant(qlonglong(t->scheduled_wait))
                        : QVariant(duration_text(t->scheduled_wait));
        case polls:
            return t->polls;
        case wakes:
            return t->wakes;
        case last_worker:
            if (t->last_worker == kNoWorker) return sort ? QVariant(-1) : QVariant(QString());
            return sort ? QVariant(int(t->last_worker))
                        : QVariant(worker_label(*m_model, t->last_worker));
        case column_count:
            break;
    }
    return {};
}

QVariant TaskTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    static const char* const names[column_count] = {"ID",    "Name",       "Now",         "Total",
                                                    "Busy",  "Idle",       "Sched. wait", "Polls",
                                                    "Wakes", "Last thread"};
    static const char* const tips[column_count] = {
        "Task id",
        "Task name (spawn's name argument)",
        "What the task is doing at the playhead",
        "Lifetime: spawn to end (or to the end of the run)",
        "Time being polled on a worker",
        "Time neither polled nor waiting in a run queue",
        "Time between being woken and being polled (in a run queue)",
        "Number of polls",
        "Number of wakes (yields included)",
        "Worker thread of the latest poll"};
    if (section < 0 || section >= column_count) return {};
    if (role == Qt::DisplayRole) return QString::fromLatin1(names[section]);
    if (role == Qt::ToolTipRole) return QString::fromLatin1(tips[section]);
    return {};
}

}  // namespace spindle::ui
