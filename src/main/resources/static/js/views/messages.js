import { el, reconcile, setAttr, setText } from '../dom.js';
import { formatBytes, formatTime, truncate } from '../format.js';
import { traceButton } from '../trace.js';

/** Rows drawn at once; the page keeps many more in memory for filtering. */
const ROWS_SHOWN = 100;

/** Columns of the table, which an expanded row's payload spans. */
const COLUMNS = 5;

/**
 * The message stream, newest first, with filters by agent (as source or target) and type, and a pause
 * that freezes the table while messages keep being collected. A row expands (click, or Enter/Space on its
 * toggle) into a row below it with the whole payload, pretty-printed; when the server cut the payload to fit
 * a frame (`truncated: true`), the expanded row says so.
 */
export function createMessagesView(store) {
  const rows = document.getElementById('message-rows');
  const count = document.getElementById('messages-count');
  const agentFilter = document.getElementById('message-agent-filter');
  const typeFilter = document.getElementById('message-type-filter');
  const pauseButton = document.getElementById('message-pause');
  const note = document.getElementById('message-note');
  let paused = false;
  let pausedAtTotal = 0;
  let knownAgents = 0;
  // Rows expanded, by rowKey; and the rows last drawn, so a toggle while paused redraws the frozen list.
  const expanded = new Set();
  let drawn = [];

  const view = {
    render() {
      refreshAgentOptions();
      setText(count, store.messages.total);
      if (paused) {
        setText(note, `Paused · ${store.messages.total - pausedAtTotal} new since`);
        return;
      }
      const agent = agentFilter.value;
      const type = typeFilter.value;
      const accept = agent || type || store.trace
        ? (m) => (!agent || m.source === agent || m.target === agent) && (!type || m.type === type)
          && store.inTrace('message', m) : null;
      const shown = store.messages.newest(ROWS_SHOWN, accept);
      setText(note, `${store.messages.size} kept, ${shown.length} shown`);
      draw(shown);
    },
  };

  /** The rows, each expanded one followed by its payload row. */
  function draw(shown) {
    drawn = shown;
    for (const key of expanded) if (!shown.some((m) => m.rowKey === key)) expanded.delete(key);
    const items = [];
    for (const m of shown) {
      items.push(m);
      if (expanded.has(m.rowKey)) items.push({ detailOf: m });
    }
    reconcile(rows, items, (item) => (item.detailOf ? `payload-${item.detailOf.rowKey}` : item.rowKey), create, update);
  }

  function create(item) {
    return item.detailOf ? createPayloadRow(item.detailOf) : createRow(item);
  }

  function update(row, item) {
    if (item.detailOf) return;
    const open = expanded.has(item.rowKey);
    row.classList.toggle('expanded', open);
    setAttr(row._toggle, 'aria-expanded', open ? 'true' : 'false');
  }

  function createRow(m) {
    const target = m.target === '*' || !m.target ? 'all' : store.agentName(m.target);
    const toggle = el('button', {
      type: 'button', class: 'row-toggle', 'aria-expanded': 'false', 'aria-controls': `payload-${m.rowKey}`,
      'aria-label': 'Show the whole payload', dataset: { testid: 'message-toggle' },
    });
    const row = el('tr', { class: `message-row type-${m.type}`, dataset: { messageId: m.id, testid: 'message-row', source: m.source, target: m.target, type: m.type, rowKey: m.rowKey } },
      el('td', { class: 'time' }, toggle, formatTime(m.timestamp)),
      el('td', { class: 'route' }, el('span', { class: 'agent-ref' }, store.agentName(m.source)), ' → ', el('span', { class: 'agent-ref' }, target),
        m.traceId ? ' ' : null, traceButton(store, m.traceId)),
      el('td', null, el('span', { class: `type-badge type-${m.type}` }, m.type)),
      el('td', { class: 'num' }, formatBytes(m.size)),
      el('td', { class: 'payload', title: truncate(m.content, 500) }, m.truncated ? el('span', { class: 'truncated-mark', title: 'cut by the server' }, '✂ ') : null, truncate(m.content, 140)));
    row._toggle = toggle;
    return row;
  }

  function createPayloadRow(m) {
    return el('tr', { class: 'payload-row', id: `payload-${m.rowKey}`, dataset: { testid: 'message-payload', messageId: m.id } },
      el('td', { colspan: COLUMNS },
        m.truncated ? el('p', { class: 'truncated-note', dataset: { testid: 'payload-truncated' } },
          'Truncated: the server cut this payload to fit the frame (limits.max-value-size); the stored event keeps it whole.') : null,
        el('pre', { class: 'payload-full' }, payloadText(m))));
  }

  function toggle(rowKey) {
    if (expanded.has(rowKey)) expanded.delete(rowKey);
    else expanded.add(rowKey);
    draw(drawn);
  }

  // One listener for every row: a click anywhere on a message row (but not a drag to select text) toggles it;
  // the toggle button inside is what the keyboard reaches, and a button turns Enter and Space into a click.
  rows.addEventListener('click', (event) => {
    const row = event.target.closest('tr.message-row');
    if (!row || (window.getSelection && String(window.getSelection()).length && !event.target.closest('.row-toggle'))) return;
    toggle(Number(row.dataset.rowKey));
  });

  /** The payload as a person reads it: text as it is, JSON indented. */
  function payloadText(m) {
    const p = m.payload;
    if (p === undefined || p === null) return m.content || '';
    if (typeof p === 'string') return p;
    try {
      return JSON.stringify(p, null, 2);
    } catch (e) {
      return String(p);
    }
  }

  /** Adds agents to the filter as they appear; the chosen one stays chosen. */
  function refreshAgentOptions() {
    const ids = new Set([...store.agents.keys(), ...store.messageAgents]);
    if (ids.size === knownAgents) return;
    knownAgents = ids.size;
    const current = agentFilter.value;
    const options = [...ids].sort((a, b) => store.agentName(a).localeCompare(store.agentName(b)))
      .map((id) => el('option', { value: id }, store.agentName(id) === id ? id : `${store.agentName(id)} (${id})`));
    agentFilter.replaceChildren(el('option', { value: '' }, 'All agents'), ...options);
    agentFilter.value = ids.has(current) ? current : '';
  }

  const rerender = () => view.render();
  agentFilter.addEventListener('change', rerender);
  typeFilter.addEventListener('change', rerender);
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pausedAtTotal = store.messages.total;
    setText(pauseButton, paused ? 'Resume' : 'Pause');
    setAttr(pauseButton, 'aria-pressed', paused ? 'true' : 'false');
    rerender();
  });
  return view;
}
