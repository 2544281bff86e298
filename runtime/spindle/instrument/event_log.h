#pragma once
// EventLog: a run's events, appended in order into large chunks of memory and read
// back by index or in order — what a Recorder keeps.
//
// Memory: 2 MiB chunks, each one huge page where the kernel allows it (map_huge in
// huge_pages.h): touching fresh memory then costs one fault per 2 MiB instead of one
// per 4 KiB, which dominates recording on machines where faults are slow. A ChunkPool keeps
// released chunks mapped so the next log reuses them (the app records run after run); without one,
// chunks are unmapped.
//
// State: the chunk list, the write cursor and the count. One thread appends; reading
// while appending is not allowed. A ChunkPool is thread-safe.

#include <cstddef>
#include <iterator>
#include <mutex>
#include <vector>

#include "spindle/instrument/event.h"

namespace spindle {

/// Keeps released EventLog chunks mapped for reuse. Thread-safe.
class ChunkPool {
public:
    ChunkPool() = default;
    ~ChunkPool();
    ChunkPool(const ChunkPool&) = delete;
    ChunkPool& operator=(const ChunkPool&) = delete;

    /// A chunk of EventLog::kChunkBytes: a kept one, or a fresh mapping.
    /// Throws std::bad_alloc when none can be mapped.
    void* take();
    /// Keeps `chunk` (from take() or map_chunk()) for the next take().
    void give(void* chunk);
    /// Chunks kept now.
    std::size_t kept() const;

private:
    mutable std::mutex m_mutex;
    std::vector<void*> m_free;
};

/// The events of one run, in order.
class EventLog {
public:
    static constexpr std::size_t kChunkBytes = std::size_t{2} << 20;
    static constexpr std::size_t kPerChunk = kChunkBytes / sizeof(Event);

    /// Chunks come from and go back to `pool` when given (it must outlive the log);
    /// otherwise each is mapped fresh and unmapped when the log releases it.
    explicit EventLog(ChunkPool* pool = nullptr) : m_pool(pool) {}
    ~EventLog();
    EventLog(EventLog&& other) noexcept;
    EventLog& operator=(EventLog&& other) noexcept;
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    void push_back(const Event& e) {
        if (m_cursor == m_limit) grow();
        *m_cursor++ = e;
        ++m_size;
    }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const Event& operator[](std::size_t i) const { return m_chunks[i / kPerChunk][i % kPerChunk]; }
    const Event& front() const { return (*this)[0]; }
    const Event& back() const { return (*this)[m_size - 1]; }
    /// Releases every chunk (to the pool, if any).
    void clear();
    /// Bytes of the chunks held.
    std::size_t memory_bytes() const { return m_chunks.size() * kChunkBytes; }

    /// Reads the events in order, a chunk at a time.
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Event;
        using difference_type = std::ptrdiff_t;
        using pointer = const Event*;
        using reference = const Event&;
        const_iterator() = default;
        reference operator*() const { return *m_at; }
        pointer operator->() const { return m_at; }
        const_iterator& operator++() {
            ++m_index;
            if (++m_at == m_chunk_end) enter_chunk();
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) {
            return a.m_index == b.m_index;
        }

    private:
        friend class EventLog;
        const_iterator(const EventLog* log, std::size_t index) : m_log(log), m_index(index) {
            if (index < log->m_size) {
                const std::size_t c = index / kPerChunk;
                m_at = log->m_chunks[c] + index % kPerChunk;
                m_chunk_end = log->m_chunks[c] + kPerChunk;
            }
        }
        void enter_chunk() {
            if (m_index >= m_log->m_size) return;
            m_at = m_log->m_chunks[m_index / kPerChunk];
            m_chunk_end = m_at + kPerChunk;
        }
        const EventLog* m_log = nullptr;
        std::size_t m_index = 0;
        const Event* m_at = nullptr;
        const Event* m_chunk_end = nullptr;
    };
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_size}; }

private:
    void grow();

    ChunkPool* m_pool = nullptr;
    std::vector<Event*> m_chunks;
    Event* m_cursor = nullptr;
    Event* m_limit = nullptr;
    std::size_t m_size = 0;
};

}  // namespace spindle
