#pragma once
// HugeVector<T>: a contiguous, growable array of trivially copyable items for the
// view model's per-event arrays (task spans, polls, wakes, channel ticks...), which
// grow to tens or hundreds of MiB while a run is folded.
//
// Memory: small arrays live on the heap (malloc/realloc, as a std::vector would).
// From kMappedBytes on, an array moves once into a huge-page mapping (map_huge in
// spindle/instrument/huge_pages.h) and from then on grows by remapping it
// (grow_huge): its contents are never copied again, and fresh memory costs one page
// fault per 2 MiB instead of one per 4 KiB. Growth doubles the capacity; addresses
// change on growth, as a std::vector's do (callers keep indices, not pointers,
// while the model is being fed).
//
// State: the items [data, data + size) and the capacity. Not thread-safe: one thread
// appends; readers read only once appending is over (as RunModel's contract says).

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <new>
#include <type_traits>
#include <utility>

#include "spindle/instrument/huge_pages.h"

namespace spindle::view {

template <class T>
class HugeVector {
    static_assert(std::is_trivially_copyable_v<T>, "items are moved as bytes");
    static_assert(alignof(T) <= alignof(std::max_align_t));

public:
    using value_type = T;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = T&;
    using const_reference = const T&;
    using pointer = T*;
    using const_pointer = const T*;
    using iterator = T*;
    using const_iterator = const T*;
    using reverse_iterator = std::reverse_iterator<iterator>;
    using const_reverse_iterator = std::reverse_iterator<const_iterator>;

    /// Capacity in bytes from which an array lives in a huge-page mapping.
    static constexpr std::size_t kMappedBytes = std::size_t{1} << 20;

    HugeVector() = default;
    HugeVector(std::initializer_list<T> items) { assign(items.begin(), items.size()); }
    HugeVector(const HugeVector& other) { assign(other.m_data, other.m_size); }
    HugeVector(HugeVector&& other) noexcept
        : m_data(std::exchange(other.m_data, nullptr)),
          m_size(std::exchange(other.m_size, 0)),
          m_capacity(std::exchange(other.m_capacity, 0)) {}
    HugeVector& operator=(const HugeVector& other) {
        if (this != &other) {
            m_size = 0;
            assign(other.m_data, other.m_size);
        }
        return *this;
    }
    HugeVector& operator=(HugeVector&& other) noexcept {
        if (this != &other) {
            release();
            m_data = std::exchange(other.m_data, nullptr);
            m_size = std::exchange(other.m_size, 0);
            m_capacity = std::exchange(other.m_capacity, 0);
        }
        return *this;
    }
    ~HugeVector() { release(); }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::size_t capacity() const { return m_capacity; }
    T* data() { return m_data; }
    const T* data() const { return m_data; }

    T& operator[](std::size_t i) { return m_data[i]; }
    const T& operator[](std::size_t i) const { return m_data[i]; }
    T& front() { return m_data[0]; }
    const T& front() const { return m_data[0]; }
    T& back() { return m_data[m_size - 1]; }
    const T& back() const { return m_data[m_size - 1]; }

    iterator begin() { return m_data; }
    iterator end() { return m_data + m_size; }
    const_iterator begin() const { return m_data; }
    const_iterator end() const { return m_data + m_size; }
    const_iterator cbegin() const { return m_data; }
    const_iterator cend() const { return m_data + m_size; }
    reverse_iterator rbegin() { return reverse_iterator(end()); }
    reverse_iterator rend() { return reverse_iterator(begin()); }
    const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
    const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }

    void push_back(const T& item) {
        if (m_size == m_capacity) grow(m_size + 1);
        m_data[m_size++] = item;
    }
    template <class... Args>
    T& emplace_back(Args&&... args) {
        if (m_size == m_capacity) grow(m_size + 1);
        T* at = m_data + m_size++;
        *at = T{std::forward<Args>(args)...};
        return *at;
    }
    void pop_back() { --m_size; }
    /// Drops the items; keeps the memory.
    void clear() { m_size = 0; }
    void reserve(std::size_t n) {
        if (n > m_capacity) grow(n);
    }
    void resize(std::size_t n, const T& fill = T{}) {
        reserve(n);
        std::fill(m_data + std::min(n, m_size), m_data + n, fill);
        m_size = n;
    }

    friend bool operator==(const HugeVector& a, const HugeVector& b) requires requires(const T& x) {
        x == x;
    }
    { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

private:
    bool mapped() const { return m_capacity * sizeof(T) >= kMappedBytes; }

    void assign(const T* items, std::size_t n) {
        reserve(n);
        if (n) std::memcpy(static_cast<void*>(m_data), items, n * sizeof(T));
        m_size = n;
    }

    /// Room for at least `need` items: doubles, at least.
    void grow(std::size_t need) {
        const std::size_t want = std::max({need, 2 * m_capacity, std::size_t{8}});
        if (want * sizeof(T) < kMappedBytes) {
            void* p = std::realloc(static_cast<void*>(m_data), want * sizeof(T));
            if (!p) throw std::bad_alloc();
            m_data = static_cast<T*>(p);
            m_capacity = want;
            return;
        }
        const std::size_t bytes = round_to_huge_pages(want * sizeof(T));
        void* p = nullptr;
        if (mapped()) {
            p = grow_huge(m_data, mapped_bytes(), bytes);
        } else {
            p = map_huge(bytes);
            if (m_size) std::memcpy(p, static_cast<const void*>(m_data), m_size * sizeof(T));
            std::free(static_cast<void*>(m_data));
        }
        m_data = static_cast<T*>(p);
        m_capacity = bytes / sizeof(T);
    }

    /// The mapping's length: capacity is bytes / sizeof(T), rounded down.
    std::size_t mapped_bytes() const { return round_to_huge_pages(m_capacity * sizeof(T)); }

    void release() {
        if (mapped())
            unmap_huge(m_data, mapped_bytes());
        else
            std::free(static_cast<void*>(m_data));
        m_data = nullptr;
        m_size = m_capacity = 0;
    }

    T* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

}  // namespace spindle::view
