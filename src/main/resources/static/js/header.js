import { setAttr, setText } from './dom.js';

const LABELS = {
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  disconnected: 'Disconnected',
};

/**
 * The header: connection state (colour comes from data-state in CSS), the topology in use and counts on
 * the navigation. The resume position is exposed as data attributes for people debugging and for tests.
 */
export function createHeader(store) {
  const box = document.getElementById('connection-status');
  const text = document.getElementById('connection-text');
  const detail = document.getElementById('connection-detail');
  const topology = document.getElementById('header-topology');
  const agentCount = document.getElementById('nav-count-agents');
  const taskCount = document.getElementById('nav-count-tasks');
  let status = { state: 'connecting', attempt: 0 };

  return {
    connection(next) {
      status = next;
    },
    render(now) {
      setAttr(box, 'data-state', status.state);
      setAttr(box, 'data-attempt', status.attempt);
      setAttr(box, 'data-epoch', status.epoch);
      setAttr(box, 'data-last-seq', status.lastSeq);
      setAttr(box, 'data-opens', status.opens);
      setAttr(box, 'data-recovered', status.recovered);
      const label = LABELS[status.state] || status.state;
      setText(text, status.state === 'reconnecting' ? `${label} (attempt ${status.attempt})` : label);
      let more = '';
      if (status.state === 'reconnecting' && status.retryAt > now) {
        more = `next try in ${Math.ceil((status.retryAt - now) / 1000)} s`;
      } else if (status.state === 'disconnected') {
        more = 'offline';
      }
      setText(detail, more);
      setText(topology, store.topology ? store.topology.topology : '');
      const counts = store.counts();
      setText(agentCount, counts.agents || '');
      setText(taskCount, counts.openTasks || '');
    },
  };
}
