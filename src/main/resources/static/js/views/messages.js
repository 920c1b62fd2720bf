import { el, reconcile, setAttr, setText } from '../dom.js';
import { formatBytes, formatTime, truncate } from '../format.js';

/** Rows drawn at once; the page keeps many more in memory for filtering. */
const ROWS_SHOWN = 100;

/**
 * The message stream, newest first, with filters by agent (as source or target) and type, and a pause
 * that freezes the table while messages keep being collected.
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
      const accept = agent || type
        ? (m) => (!agent || m.source === agent || m.target === agent) && (!type || m.type === type) : null;
      const shown = store.messages.newest(ROWS_SHOWN, accept);
      setText(note, `${store.messages.size} kept, ${shown.length} shown`);
      reconcile(rows, shown, (m) => m.rowKey, createRow);
    },
  };

  function createRow(m) {
    const target = m.target === '*' || !m.target ? 'all' : store.agentName(m.target);
    return el('tr', { class: `type-${m.type}`, dataset: { messageId: m.id, testid: 'message-row', source: m.source, target: m.target, type: m.type } },
      el('td', { class: 'time' }, formatTime(m.timestamp)),
      el('td', { class: 'route' }, el('span', { class: 'agent-ref' }, store.agentName(m.source)), ' → ', el('span', { class: 'agent-ref' }, target)),
      el('td', null, el('span', { class: `type-badge type-${m.type}` }, m.type)),
      el('td', { class: 'num' }, formatBytes(m.size)),
      el('td', { class: 'payload', title: truncate(m.content, 500) }, truncate(m.content, 140)));
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
