import { el, reconcile, setText } from '../dom.js';
import { formatLatency, formatTime, truncate } from '../format.js';
import { traceButton } from '../trace.js';

const ROWS_SHOWN = 100;

/** The log of memory operations, newest first, with a namespace filter. */
export function createMemoryView(store) {
  const rows = document.getElementById('memory-rows');
  const count = document.getElementById('memory-count');
  const filter = document.getElementById('memory-namespace-filter');
  const note = document.getElementById('memory-note');
  let knownNamespaces = 0;

  const view = {
    render() {
      refreshNamespaces();
      setText(count, store.memory.total);
      const namespace = filter.value;
      const shown = store.memory.newest(ROWS_SHOWN, namespace || store.trace
        ? (op) => (!namespace || op.namespace === namespace) && store.inTrace('memory', op) : null);
      setText(note, `${store.memory.size} kept, ${shown.length} shown`);
      reconcile(rows, shown, (op) => op.rowKey, createRow);
    },
  };

  function createRow(op) {
    const cache = op.cacheHit === true ? 'hit' : op.cacheHit === false ? 'miss' : '';
    return el('tr', { class: `op-${op.operation}${op.success ? '' : ' failed'}`, dataset: { opId: op.id, testid: 'memory-row', operation: op.operation, namespace: op.namespace } },
      el('td', { class: 'time' }, formatTime(op.timestamp)),
      el('td', null, el('span', { class: `op-badge op-${op.operation}` }, op.operation)),
      el('td', null, op.namespace),
      el('td', { class: 'key', title: op.key ?? op.query ?? '' }, op.key != null ? truncate(op.key, 80) : op.query != null ? `“${truncate(op.query, 78)}”` : ''),
      el('td', { class: 'num', dataset: { label: 'results' } }, op.resultCount ?? ''),
      el('td', { class: `cache cache-${cache || 'none'}` }, cache),
      el('td', { class: 'num' }, formatLatency(op.latency)),
      el('td', null, op.agentId ? store.agentName(op.agentId) : '', op.success ? '' : ` ✖ ${op.error || 'failed'}`,
        op.traceId ? ' ' : null, traceButton(store, op.traceId)));
  }

  function refreshNamespaces() {
    if (store.namespaces.size === knownNamespaces) return;
    knownNamespaces = store.namespaces.size;
    const current = filter.value;
    filter.replaceChildren(el('option', { value: '' }, 'All namespaces'),
      ...[...store.namespaces].sort().map((ns) => el('option', { value: ns }, ns)));
    filter.value = store.namespaces.has(current) ? current : '';
  }

  filter.addEventListener('change', () => view.render());
  return view;
}
