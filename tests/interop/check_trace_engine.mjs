// Reads Spindle's Chrome JSON with the DevTools performance panel's trace engine
// (@paulirish/trace_engine) and checks what it makes of it: every wake a flow, every
// worker a thread with its polls, the log instants on their threads, and the task
// spans and channel counters parsed (the engine keeps them in its event list; the
// DevTools panel does not draw generic async spans or counters, Perfetto does).
//
// Usage: node check_trace_engine.mjs TRACE.json EXPECTED_FLOWS EXPECTED_LOGS
import fs from 'node:fs';
import {analyzeEvents} from '@paulirish/trace_engine/analyze-trace.mjs';

const [file, expectedFlows, expectedLogs] = process.argv.slice(2);
const json = JSON.parse(fs.readFileSync(file, 'utf8'));
const {parsedTrace} = await analyzeEvents(json.traceEvents);
const data = parsedTrace.data;
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

const flows = data.Flows.flows.length;
check(flows === Number(expectedFlows), `flows: the engine linked ${flows}, expected ${expectedFlows}`);
// Each linked flow goes from one event to another on a named thread.
for (const flow of data.Flows.flows)
  check(flow.length >= 2, `a flow with ${flow.length} event(s)`);

let polls = 0, instants = 0, threads = 0;
for (const [, process] of data.Renderer.processes) {
  for (const [, thread] of process.threads) {
    ++threads;
    check(/^(worker|blocking|thread|rayon) \d+$|^runtime$/.test(thread.name ?? ''), `thread named '${thread.name}'`);
    for (const e of thread.entries) {
      if (e.cat === 'sched' && e.ph === 'X') ++polls;  // B/E pairs become complete events
      if (e.cat === 'log') ++instants;
    }
  }
}
check(threads >= 1, 'no thread');
check(polls > 0, 'no poll slices on any thread');
check(instants === Number(expectedLogs), `log instants: ${instants}, expected ${expectedLogs}`);

const kept = parsedTrace.traceEvents;
const tasks = kept.filter(e => e.cat === 'task' && e.ph === 'b').length;
const counters = kept.filter(e => e.ph === 'C').length;
check(tasks > 0, 'no task spans kept');
const sends = json.traceEvents.filter(e => e.ph === 'C').length;
check(counters === sends, `counters: the engine kept ${counters} of ${sends}`);

console.log(`${file}: ${flows} flows, ${threads} threads, ${polls} polls, ${instants} log instants, ` +
            `${tasks} task spans, ${counters} counter samples`);
if (failures.length) {
  for (const f of failures) console.error(`  FAIL ${f}`);
  process.exit(1);
}
