#include "spindle/instrument/event_log.h"

#include "spindle/instrument/huge_pages.h"

#include <new>
#include <type_traits>
#include <utility>

namespace spindle {

namespace {

static_assert(EventLog::kChunkBytes % alignof(Event) == 0);
static_assert(EventLog::kChunkBytes == kHugePageBytes, "a chunk is one huge page");
static_assert(std::is_trivially_copyable_v<Event>, "events are copied into raw mapped memory");

void* map_chunk() {
    return map_huge(EventLog::kChunkBytes);
}

void unmap_chunk(void* chunk) {
    unmap_huge(chunk, EventLog::kChunkBytes);
}

}  // namespace

ChunkPool::~ChunkPool() {
    for (void* c : m_free)
        unmap_chunk(c);
}

void* ChunkPool::take() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_free.empty()) {
            void* c = m_free.back();
            m_free.pop_back();
            return c;
        }
    }
    return map_chunk();
}

void ChunkPool::give(void* chunk) {
    std::lock_guard lock(m_mutex);
    m_free.push_back(chunk);
}

std::size_t ChunkPool::kept() const {
    std::lock_guard lock(m_mutex);
    return m_free.size();
}

EventLog::~EventLog() {
    clear();
}

EventLog::EventLog(EventLog&& other) noexcept
    : m_pool(other.m_pool),
      m_chunks(std::move(other.m_chunks)),
      m_cursor(std::exchange(other.m_cursor, nullptr)),
      m_limit(std::exchange(other.m_limit, nullptr)),
      m_size(std::exchange(other.m_size, 0)) {
    other.m_chunks.clear();
}

EventLog& EventLog::operator=(EventLog&& other) noexcept {
    if (this != &other) {
        clear();
        m_pool = other.m_pool;
        m_chunks = std::move(other.m_chunks);
        other.m_chunks.clear();
        m_cursor = std::exchange(other.m_cursor, nullptr);
        m_limit = std::exchange(other.m_limit, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void EventLog::grow() {
    void* chunk = m_pool ? m_pool->take() : map_chunk();
    try {
        m_chunks.push_back(static_cast<Event*>(chunk));
    } catch (...) {
        m_pool ? m_pool->give(chunk) : unmap_chunk(chunk);
        throw;
    }
    m_cursor = m_chunks.back();
    m_limit = m_cursor + kPerChunk;
}

void EventLog::clear() {
    for (Event* c : m_chunks)
        m_pool ? m_pool->give(c) : unmap_chunk(c);
    m_chunks.clear();
    m_cursor = m_limit = nullptr;
    m_size = 0;
}

}  // namespace spindle
