#pragma once
// WaitNode / WaitList: the intrusive FIFO of tasks waiting on one resource.
//
// A node lives inside the pending operation (in the waiting coroutine's frame),
// so waiting allocates nothing. The resource that owns the list links and
// unlinks nodes; an operation unlinks its own node when it is cancelled.
// `granted` is set by grant-style resources (locks, semaphores, bounded send
// slots) when they hand the waiter what it asked for before it runs again; an
// operation cancelled while holding a grant must give it back.

#include <cstdint>

#include "spindle/core/ids.h"

namespace spindle {

/// One waiting task's place in a resource's queue.
struct WaitNode {
    WaitNode* prev = nullptr;
    WaitNode* next = nullptr;
    TaskId task = 0;
    bool linked = false;
    std::uint32_t want = 1;     ///< amount asked for (permits, slots), or a mode
    std::uint32_t granted = 0;  ///< amount handed over by the resource, not yet consumed
};

/// Intrusive FIFO list of WaitNodes.
class WaitList {
public:
    bool empty() const { return m_head == nullptr; }
    std::uint32_t size() const { return m_size; }
    WaitNode* front() const { return m_head; }

    void push_back(WaitNode& n) {
        n.prev = m_tail;
        n.next = nullptr;
        if (m_tail)
            m_tail->next = &n;
        else
            m_head = &n;
        m_tail = &n;
        n.linked = true;
        ++m_size;
    }

    void remove(WaitNode& n) {
        if (!n.linked) return;
        (n.prev ? n.prev->next : m_head) = n.next;
        (n.next ? n.next->prev : m_tail) = n.prev;
        n.prev = n.next = nullptr;
        n.linked = false;
        --m_size;
    }

    WaitNode* pop_front() {
        WaitNode* n = m_head;
        if (n) remove(*n);
        return n;
    }

    template <class F>
    void for_each(F&& f) const {
        for (WaitNode* n = m_head; n; n = n->next)
            f(*n);
    }

private:
    WaitNode* m_head = nullptr;
    WaitNode* m_tail = nullptr;
    std::uint32_t m_size = 0;
};

}  // namespace spindle
