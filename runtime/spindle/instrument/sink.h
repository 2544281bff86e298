#pragma once
// The one subscription seam of the instrumentation stream.
//
// A sink receives every event of a run in sequence order, on the thread that
// drives the run. `text` is the event's interned text (empty when text == 0);
// a sink that needs it later must copy it. Sinks never call back into the runtime.

#include <string_view>

#include "spindle/instrument/event.h"

namespace spindle {

/// Receives the instrumentation stream of a run.
class EventSink {
public:
    virtual ~EventSink() = default;
    /// Called once per event, in `seq` order.
    virtual void on_event(const Event& event, std::string_view text) = 0;
    /// Called once after the run_end event; flush here.
    virtual void on_finish() {}
};

}  // namespace spindle
