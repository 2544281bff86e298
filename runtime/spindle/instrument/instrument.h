#pragma once
// Instrument: where the runtime turns decisions into events.
//
// State: the subscribed sinks, the next sequence number, the interned texts and
// the cursor (time, worker, task) the executor keeps current while it runs.
// Only the thread driving the run touches it. With no sink subscribed, publish
// only counts, so an unrecorded run pays almost nothing.

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/sink.h"

namespace spindle {

namespace detail {
// Defined in core/executor.h; the one caller of Instrument::emit_encoded besides emit.
inline void emit_encoded_for(TaskId task, EventKind kind, std::uint8_t detail, std::uint32_t object,
                             std::uint32_t count, std::uint64_t arg);
}  // namespace detail

/// Stamps, numbers and distributes the events of one run.
class Instrument {
public:
    /// Where and when the executor currently is; copied into each new event.
    struct Cursor {
        std::int64_t time_ns = 0;
        WorkerId worker = kNoWorker;
        TaskId task = 0;
    };

    void subscribe(EventSink* sink) { m_sinks.push_back(sink); }
    bool recording() const { return !m_sinks.empty(); }

    /// A new event carrying `data` (a payload:: struct of event_payloads.h), stamped
    /// with the cursor (not yet numbered).
    template <class P>
    Event make(const P& data) const {
        Event e;
        e.kind = P::kind;
        e.time_ns = m_cursor.time_ns;
        e.worker = m_cursor.worker;
        e.task = m_cursor.task;
        payload::encode(data, e);
        return e;
    }

    /// Stamps and publishes one event carrying `data` (a payload:: struct); `task` 0
    /// keeps the cursor's task.
    template <class P>
    void emit(const P& data, TaskId task = 0) {
        Event f;  // only its generic fields matter: encode() fills them
        payload::encode(data, f);
        emit_encoded(P::kind, f.detail, f.object, f.count, f.arg, task, f.text);
    }

    /// Numbers the event and hands it to every sink.
    void publish(Event e) {
        if (m_muted) return;
        e.seq = m_next_seq++;
        if (m_sinks.empty()) return;
        const std::string_view text =
            e.text ? std::string_view(m_texts[e.text]) : std::string_view();
        for (EventSink* s : m_sinks)
            s->on_event(e, text);
    }

    /// The id of this text in the run's string table (interned once).
    TextId intern(std::string_view text) {
        if (text.empty()) return 0;
        auto it = m_ids.find(std::string(text));
        if (it != m_ids.end()) return it->second;
        const auto id = static_cast<TextId>(m_texts.size());
        m_texts.emplace_back(text);
        m_ids.emplace(m_texts.back(), id);
        return id;
    }
    std::string_view text(TextId id) const {
        return id < m_texts.size() ? std::string_view(m_texts[id]) : std::string_view();
    }

    /// Drops every later event (the run has ended; teardown is not part of it).
    void mute() { m_muted = true; }

    void finish() {
        for (EventSink* s : m_sinks)
            s->on_finish();
    }

    std::uint64_t event_count() const { return m_next_seq; }
    Cursor& cursor() { return m_cursor; }
    const Cursor& cursor() const { return m_cursor; }

private:
    friend void detail::emit_encoded_for(TaskId, EventKind, std::uint8_t, std::uint32_t,
                                         std::uint32_t, std::uint64_t);

    /// Stamps, fills and publishes one event from generic fields a payload has already
    /// encoded; `task` 0 keeps the cursor's task. Only emit and detail::emit_for call it:
    /// what the fields mean is up to event_payloads.h alone. Plain scalars keep every
    /// emit site as small as a hand-filled event.
    void emit_encoded(EventKind kind, std::uint8_t detail, std::uint32_t object,
                      std::uint32_t count, std::uint64_t arg, TaskId task, TextId text) {
        Event e;
        e.kind = kind;
        e.time_ns = m_cursor.time_ns;
        e.worker = m_cursor.worker;
        e.task = m_cursor.task;
        e.detail = detail;
        e.object = object;
        e.count = count;
        e.arg = arg;
        if (task) e.task = task;
        e.text = text;
        publish(e);
    }

    std::vector<EventSink*> m_sinks;
    std::uint64_t m_next_seq = 0;
    bool m_muted = false;
    Cursor m_cursor;
    std::deque<std::string> m_texts{std::string()};
    std::unordered_map<std::string, TextId> m_ids;
};

}  // namespace spindle
