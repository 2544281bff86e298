#pragma once
// In-memory recorder: keeps every event of a run and its string table.
//
// State: the events in seq order (an EventLog: 2 MiB chunks, huge pages where the
// kernel allows, from a ChunkPool when given one) and the texts by id. Written only
// through on_event (the run's driving thread); read freely once the run has ended.

#include <string>
#include <string_view>
#include <vector>

#include "spindle/instrument/event_log.h"
#include "spindle/instrument/sink.h"

namespace spindle {

/// Keeps a run's events and texts in memory.
class Recorder final : public EventSink {
public:
    /// Events go into chunks from `pool` (which must outlive the recorder) when given,
    /// so a recorder made after another reuses its memory; else into fresh mappings.
    explicit Recorder(ChunkPool* pool = nullptr) : m_events(pool) {}

    void on_event(const Event& event, std::string_view text) override;

    /// All events received so far, in seq order.
    const EventLog& events() const { return m_events; }
    /// The text with this id ("" for 0 or an unknown id).
    std::string_view text(TextId id) const;
    /// The whole string table, indexed by TextId (entry 0 is "").
    const std::vector<std::string>& texts() const { return m_texts; }
    /// Bytes held for events and texts (for the memory benchmarks).
    std::size_t memory_bytes() const;
    void clear();

private:
    EventLog m_events;
    std::vector<std::string> m_texts{std::string()};
};

}  // namespace spindle
