import { getJson } from './api.js';
import { el, setText } from './dom.js';

/**
 * Causal links on the dashboard. An event frame may carry `traceId` (and `parentId`); every card or row whose
 * event had one gets a small "trace" button, which filters the agents, tasks, messages and memory views to
 * that trace, and the bar under the header says which trace is shown and has the way back ("Show everything").
 *
 * What belongs to a trace: messages and memory operations whose own event carried the trace id; agents and tasks
 * any of whose events (seen live, or in the trace's history from `GET /api/trace/{id}`) carried it. The history
 * makes a trace that started before the page opened whole; live events of the trace join it as they come.
 */

/** A "trace" button for an event's trace id, or null when it has none. */
export function traceButton(store, traceId) {
  if (!traceId) return null;
  return el('button', {
    type: 'button', class: 'trace-action', title: `Show only trace ${traceId}`,
    'aria-label': `Show only trace ${traceId}`, dataset: { testid: 'trace-action', trace: traceId },
    // A card or row may have a click of its own (expand a message): this click is the trace's only.
    onclick: (event) => {
      event.stopPropagation();
      store.showTrace(traceId);
    },
  }, 'trace');
}

/**
 * Asks the server for the trace's events in the retained history; the store folds them into the filter. A trace may
 * span swarms (docs/protocol.md 7.15): only the events of the swarm the page shows (the address's `?swarm=`, kept
 * there by the swarm picker) mark its agents and tasks, since another swarm's agent "a1" is another agent.
 */
export function loadTrace(store, traceId) {
  const shown = new URLSearchParams(location.search).get('swarm') || 'default';
  getJson(`/api/trace/${encodeURIComponent(traceId)}?limit=10000`)
    .then((answer) => {
      const events = (answer.events || []).filter((frame) => (frame.swarmId || 'default') === shown);
      const count = events.length === (answer.events || []).length ? answer.count : events.length;
      store.traceHistory(traceId, { ...answer, events, count });
    })
    .catch((e) => store.traceHistory(traceId, null, e.message));
}

/** The bar under the header while a trace is shown. */
export function createTraceBar(store) {
  const bar = document.getElementById('trace-bar');
  const id = document.getElementById('trace-bar-id');
  const note = document.getElementById('trace-bar-note');
  document.getElementById('trace-clear').addEventListener('click', () => store.showTrace(null));
  return {
    render() {
      const trace = store.trace;
      bar.hidden = !trace;
      document.body.classList.toggle('tracing', !!trace);
      if (!trace) return;
      setText(id, trace.id);
      setText(note, trace.error ? trace.error
        : trace.historyCount == null ? 'loading history…'
        : `${trace.historyCount} event${trace.historyCount === 1 ? '' : 's'} in the server's history`
          + (trace.complete ? '' : ' (more not shown)'));
    },
  };
}
