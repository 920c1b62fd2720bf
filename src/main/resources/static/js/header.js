import { setAttr, setText } from './dom.js';
import { formatTime } from './format.js';

const LABELS = {
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  disconnected: 'Disconnected',
  'unknown-swarm': 'Unknown swarm',
};

/** How long "n updates merged" stays in the header after the server last merged updates for this page. */
const MERGED_SHOWN_MS = 10000;

/**
 * The header: connection state (colour comes from data-state in CSS), the topology in use and counts on
 * the navigation. The resume position is exposed as data attributes for people debugging and for tests.
 * While the connection is down after having been up, a banner says since when the data is old and the
 * views are dimmed (the `stale` class on `<main>`), so nobody reads old numbers as live ones.
 */
export function createHeader(store) {
  const box = document.getElementById('connection-status');
  const text = document.getElementById('connection-text');
  const detail = document.getElementById('connection-detail');
  const topology = document.getElementById('header-topology');
  const agentCount = document.getElementById('nav-count-agents');
  const taskCount = document.getElementById('nav-count-tasks');
  const main = document.getElementById('main');
  const banner = document.getElementById('stale-banner');
  const bannerText = document.getElementById('stale-banner-text');
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
      setAttr(box, 'data-merged', status.merged);
      const label = LABELS[status.state] || status.state;
      setText(text, status.state === 'reconnecting' ? `${label} (attempt ${status.attempt})` : label);
      let more = '';
      if (status.state === 'reconnecting' && status.retryAt > now) {
        more = `next try in ${Math.ceil((status.retryAt - now) / 1000)} s`;
      } else if (status.state === 'disconnected') {
        more = 'offline';
      } else if (status.state === 'connected' && status.lastMergedAt > now - MERGED_SHOWN_MS) {
        // The server conflated this page's stream: it shows the current state, with fewer steps in between.
        more = `${status.merged} updates merged`;
      }
      setText(detail, more);
      setText(topology, store.topology ? store.topology.topology : '');
      const counts = store.counts();
      setText(agentCount, counts.agents || '');
      setText(taskCount, counts.openTasks || '');

      const stale = !store.live;
      main.classList.toggle('stale', stale);
      setAttr(main, 'aria-busy', stale ? 'true' : null);
      banner.hidden = !stale;
      if (stale) {
        setText(bannerText, store.lastDataAt
          ? `Disconnected — showing data as of ${formatTime(store.lastDataAt)}` : 'Disconnected — no data yet');
      }
    },
  };
}
