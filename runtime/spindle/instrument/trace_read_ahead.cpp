// stream_trace on a helper thread, handing batches of events to the calling one.
//
// State: a Queue shared by the two threads (mutex + two condition variables): the
// batches decoded and not yet handed on (at most kInFlight), spare batches for
// reuse, the helper's result once it is done, and a stop flag the calling thread
// sets when it gives up (cancel, or its sink threw). Texts cross once: a batch
// carries the definitions of the text ids first used by its events.

#include "spindle/instrument/trace_read_ahead.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace spindle {

namespace {

/// Batches decoded ahead of the sink: enough to keep both threads busy.
constexpr std::size_t kInFlight = 4;

struct Batch {
    std::vector<Event> events;
    std::vector<std::pair<TextId, std::string>> texts;  ///< ids first used in this batch
    TraceReadProgress progress;                         ///< the reader's, after these events

    void clear() {
        events.clear();
        texts.clear();
    }
};

class Queue {
public:
    /// Helper thread: an empty batch to fill, once fewer than kInFlight wait; null
    /// once the calling thread has stopped.
    std::unique_ptr<Batch> take_empty() {
        std::unique_lock lock(m_mutex);
        m_space.wait(lock, [&] { return m_stopped || m_full.size() < kInFlight; });
        if (m_stopped) return nullptr;
        if (m_spare.empty()) {
            auto b = std::make_unique<Batch>();
            b->events.reserve(kReadAheadBatch);
            return b;
        }
        auto b = std::move(m_spare.back());
        m_spare.pop_back();
        return b;
    }

    /// Helper thread: hands a filled batch on.
    void push(std::unique_ptr<Batch> batch) {
        {
            const std::lock_guard lock(m_mutex);
            if (m_stopped) return;
            m_full.push_back(std::move(batch));
        }
        m_ready.notify_one();
    }

    /// Helper thread: no more batches.
    void finish(TraceStreamResult result) {
        {
            const std::lock_guard lock(m_mutex);
            m_result = std::move(result);
            m_done = true;
        }
        m_ready.notify_one();
    }

    /// Calling thread: the next batch, or null when the helper is done and all are out.
    std::unique_ptr<Batch> pop() {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return m_done || !m_full.empty(); });
        if (m_full.empty()) return nullptr;
        auto b = std::move(m_full.front());
        m_full.pop_front();
        lock.unlock();
        m_space.notify_one();
        return b;
    }

    /// Calling thread: a batch handed on, for reuse.
    void recycle(std::unique_ptr<Batch> batch) {
        batch->clear();
        const std::lock_guard lock(m_mutex);
        m_spare.push_back(std::move(batch));
    }

    /// Calling thread: gives up; the helper stops within a batch.
    void stop() {
        {
            const std::lock_guard lock(m_mutex);
            m_stopped = true;
        }
        m_stop_flag.store(true);
        m_space.notify_all();
    }

    /// What the helper's reader watches as its cancel flag.
    const std::atomic<bool>* stop_flag() const { return &m_stop_flag; }

    TraceStreamResult result() {
        const std::lock_guard lock(m_mutex);
        return m_result;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_space;  ///< the helper waits for room
    std::condition_variable m_ready;  ///< the calling thread waits for a batch
    std::deque<std::unique_ptr<Batch>> m_full;
    std::vector<std::unique_ptr<Batch>> m_spare;
    TraceStreamResult m_result;
    bool m_done = false;
    bool m_stopped = false;
    std::atomic<bool> m_stop_flag{false};
};

/// The helper thread's sink: fills batches, noting each text id's first use.
class Batcher final : public EventSink {
public:
    explicit Batcher(Queue& queue) : m_queue(queue), m_batch(queue.take_empty()) {}

    void on_event(const Event& e, std::string_view text) override {
        if (!m_batch) return;  // stopped: the reader stops at its next cancel check
        if (e.text != 0) {
            if (e.text >= m_sent.size()) m_sent.resize(e.text + std::size_t{1});
            if (!m_sent[e.text]) {
                m_sent[e.text] = true;
                m_batch->texts.emplace_back(e.text, std::string(text));
            }
        }
        m_batch->events.push_back(e);
        if (m_batch->events.size() == kReadAheadBatch) {
            hand_on();
            m_batch = m_queue.take_empty();
        }
    }

    /// Hands on what is left (also an empty batch: it carries the last progress).
    void hand_on() {
        if (!m_batch) return;
        m_batch->progress = latest;
        m_queue.push(std::move(m_batch));
    }

    TraceReadProgress latest;

private:
    Queue& m_queue;
    std::unique_ptr<Batch> m_batch;
    std::vector<bool> m_sent;  ///< text ids already sent (bounded by the density rule)
};

}  // namespace

TraceStreamResult stream_trace_read_ahead(const std::filesystem::path& path, EventSink& sink,
                                          const TraceStreamOptions& options) {
    Queue queue;
    std::thread helper([&queue, &path, &options] {
        TraceStreamResult result;
        try {
            Batcher batcher(queue);
            TraceStreamOptions o;
            o.checks = options.checks;
            o.max_events = options.max_events;
            o.read_chunk = options.read_chunk;
            o.cancel = queue.stop_flag();
            o.progress = [&batcher](const TraceReadProgress& p) { batcher.latest = p; };
            result = stream_trace(path, batcher, o);
            batcher.hand_on();
        } catch (const std::exception& e) {
            result.error = TraceError{TraceError::Code::io_error, 0, e.what()};
        }
        queue.finish(std::move(result));
    });
    // However this returns (a throwing sink included), the helper is stopped and joined.
    struct Joiner {
        Queue& queue;
        std::thread& thread;
        ~Joiner() {
            queue.stop();
            if (thread.joinable()) thread.join();
        }
    } joiner{queue, helper};

    std::vector<std::string> texts{std::string()};
    std::uint64_t handed = 0;
    bool cancelled = false;
    while (auto batch = queue.pop()) {
        for (auto& [id, text] : batch->texts) {
            if (id >= texts.size()) texts.resize(id + std::size_t{1});
            texts[id] = std::move(text);
        }
        for (const Event& e : batch->events)
            sink.on_event(e, e.text != 0 ? std::string_view(texts[e.text]) : std::string_view());
        handed += batch->events.size();
        if (options.progress) {
            TraceReadProgress p = batch->progress;
            p.events = handed;
            options.progress(p);
        }
        queue.recycle(std::move(batch));
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
            cancelled = true;
            break;
        }
    }
    queue.stop();
    helper.join();
    TraceStreamResult result = queue.result();
    if (cancelled) {
        result = TraceStreamResult();
        result.cancelled = true;
    }
    result.events = handed;
    return result;
}

}  // namespace spindle
