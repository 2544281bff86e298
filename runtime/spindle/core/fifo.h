#pragma once
// Fifo<T>: a growable ring buffer, the message buffer of a channel.
//
// State: a power-of-two array of slots, the index of the oldest element and the
// element count. Unlike std::deque it knows its size without arithmetic and
// reuses its slots, so a channel that fills and drains allocates nothing after
// warming up. Not thread-safe: owned by one primitive.

#include <cstddef>
#include <memory>
#include <utility>

namespace spindle {

template <class T>
class Fifo {
public:
    Fifo() = default;
    Fifo(const Fifo&) = delete;
    Fifo& operator=(const Fifo&) = delete;
    ~Fifo() {
        clear();
        std::allocator<T>().deallocate(m_slots, m_capacity);
    }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    /// Appends an element built from `args`.
    template <class... Args>
    T& emplace_back(Args&&... args) {
        if (m_size == m_capacity) grow();
        T* slot = m_slots + ((m_head + m_size) & (m_capacity - 1));
        std::construct_at(slot, std::forward<Args>(args)...);
        ++m_size;
        return *slot;
    }

    /// The oldest element; the Fifo must not be empty.
    T& front() { return m_slots[m_head]; }
    const T& front() const { return m_slots[m_head]; }

    /// Removes the oldest element; the Fifo must not be empty.
    void pop_front() {
        std::destroy_at(m_slots + m_head);
        m_head = (m_head + 1) & (m_capacity - 1);
        --m_size;
    }

    void clear() {
        while (m_size > 0)
            pop_front();
        m_head = 0;
    }

private:
    void grow() {
        const std::size_t capacity = m_capacity == 0 ? 8 : m_capacity * 2;
        T* slots = std::allocator<T>().allocate(capacity);
        for (std::size_t i = 0; i < m_size; ++i) {
            T* from = m_slots + ((m_head + i) & (m_capacity - 1));
            std::construct_at(slots + i, std::move(*from));
            std::destroy_at(from);
        }
        std::allocator<T>().deallocate(m_slots, m_capacity);
        m_slots = slots;
        m_capacity = capacity;
        m_head = 0;
    }

    T* m_slots = nullptr;
    std::size_t m_capacity = 0;  ///< 0 or a power of two
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

}  // namespace spindle
