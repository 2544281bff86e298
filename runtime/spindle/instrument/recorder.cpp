#include "spindle/instrument/recorder.h"

namespace spindle {

void Recorder::on_event(const Event& event, std::string_view text) {
    if (event.text != 0 && event.text >= m_texts.size()) {
        m_texts.resize(event.text + 1);
        m_texts[event.text] = std::string(text);
    }
    m_events.push_back(event);
}

std::string_view Recorder::text(TextId id) const {
    return id < m_texts.size() ? std::string_view(m_texts[id]) : std::string_view();
}

std::size_t Recorder::memory_bytes() const {
    std::size_t bytes = m_events.memory_bytes();
    for (const auto& t : m_texts)
        bytes += sizeof(std::string) + (t.size() > 15 ? t.capacity() : 0);
    return bytes;
}

void Recorder::clear() {
    m_events.clear();
    m_texts.assign(1, std::string());
}

}  // namespace spindle
