// libFuzzer target: a trace file's bytes through everything that reads a trace —
// the reader (with its run checks), the streaming reader feeding a view model as the
// window loads a file (before the file is known to be good; its verdict must be
// the reader's), the view model and stage index, the run
// summary and its JSON and tables, the Chrome JSON writer and the text dump. A
// crash, a sanitizer report, a hang or a runaway allocation is a finding; the
// reproducer goes into tests/runtime/test_trace_file.cpp or tests/app/.
//
// Build and run: scripts/fuzz.sh (README, "Files you were sent": long campaigns).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "run_model.h"
#include "spindle/instrument/chrome_trace.h"
#include "spindle/instrument/run_summary.h"
#include "spindle/instrument/summary_json.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/instrument/text_table.h"
#include "spindle/instrument/trace_file.h"
#include "stage_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spindle;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const TraceReadResult read = read_trace_bytes(bytes);
    {
        std::istringstream in{std::string(bytes)};
        view::RunModel streamed;  // discarded, as run_session discards it on an error
        TraceStreamOptions options;
        options.read_chunk = 7;  // records split at every place
        const TraceStreamResult r = stream_trace(in, streamed, options);
        if (r.ok() != static_cast<bool>(read)) __builtin_trap();
        if (r.error && (r.error->code != read.error->code || r.error->offset != read.error->offset))
            __builtin_trap();
    }
    if (!read) return 0;
    view::RunModel model;
    std::ostringstream chrome_out, dump_out;
    ChromeTraceWriter chrome(chrome_out);
    TextDump dump(dump_out, TextDumpOptions{false});
    for (const Event& e : read.trace->events) {
        const std::string_view text = read.trace->text(e.text);
        model.on_event(e, text);
        chrome.on_event(e, text);
        dump.on_event(e, text);
    }
    model.on_finish();
    chrome.on_finish();
    dump.on_finish();
    (void)to_json(model.summary(), nullptr, "fuzz");
    (void)to_text_tables(model.summary());
    // The stage at a few instants, as the viewer asks while scrubbing.
    const view::StageIndex stage(model);
    const view::Time end = model.end_time();
    for (const view::Time at : {view::Time{0}, end / 2, end})
        (void)stage.at(at, 0);
    return 0;
}
