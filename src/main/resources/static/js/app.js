import { getJson } from './api.js';
import { Connection } from './connection.js';
import { createFooter } from './footer.js';
import { createHeader } from './header.js';
import { createRouter } from './router.js';
import { createScheduler } from './scheduler.js';
import { Store } from './store.js';
import { createSwarmPicker } from './swarms.js';
import { createTimeline } from './timeline.js';
import { createAgentsView } from './views/agents.js';
import { createMemoryView } from './views/memory.js';
import { createMessagesView } from './views/messages.js';
import { createOverviewView } from './views/overview.js';
import { createTasksView } from './views/tasks.js';
import { createTopologyView } from './views/topology.js';
import { createTraceBar } from './trace.js';

/**
 * Wires the dashboard: frames from the connection go into the store at once (cheap), and the store marks
 * which views they touched; the shown view and the header re-render at most once per animation frame.
 * Hidden views are only marked, and draw when shown.
 */
const live = new Store();
// Views read `store`: the live store, or the swarm at an earlier moment while the timeline replays one.
// The server keeps the state at a point for the default swarm only (docs/protocol.md 7.13): another swarm's page
// has no timeline to scrub.
const timeline = createTimeline({
  live,
  position: () => connection.status(),
  send: (request) => connection.send(request),
  available: () => connection.swarm === 'default',
});
const store = timeline.store;
const views = {
  overview: createOverviewView(store),
  agents: createAgentsView(store),
  tasks: createTasksView(store),
  messages: createMessagesView(store),
  memory: createMemoryView(store),
  topology: createTopologyView(store),
};
const header = createHeader(store);
const traceBar = createTraceBar(store);
const footer = createFooter();
const dirty = new Set([...Object.keys(views), 'header']);

/**
 * Least time between two draws of a view. Under thousands of events per second a stream redrawn on every
 * animation frame would spend the whole frame on layout (and nobody reads 60 tables a second), so streams
 * redraw at most four times a second and the other views ten; a change waits at most that long.
 */
const MIN_INTERVAL_MS = { messages: 250, memory: 250, overview: 100, agents: 100, tasks: 100, topology: 100 };
const lastDrawn = {};
let deferred = 0;

const scheduler = createScheduler(() => {
  const now = Date.now();
  if (dirty.delete('header')) {
    header.render(now);
    traceBar.render();
    timeline.render(now);
  }
  const name = router.current;
  if (!name || !dirty.has(name)) return;
  const wait = (lastDrawn[name] || 0) + MIN_INTERVAL_MS[name] - now;
  if (wait > 0) {
    if (!deferred) deferred = setTimeout(() => { deferred = 0; scheduler.request(); }, wait);
    return;
  }
  dirty.delete(name);
  lastDrawn[name] = now;
  views[name].render(timeline.now(now));
});

const router = createRouter(Object.keys(views), (name) => {
  dirty.add(name);
  lastDrawn[name] = 0; // a view just opened draws at once
  scheduler.request();
});

timeline.onChange((touched) => {
  for (const name of touched) dirty.add(name);
  scheduler.request();
});

/**
 * The server keeps its last five minutes of metrics ticks; the page loads them whenever it (re)connects, so
 * the chart is full on first load and has no hole for the time it was disconnected.
 */
function loadMetricsHistory() {
  // The server's history is the default swarm's ticks; another swarm's chart fills from its live ticks.
  if (connection.swarm !== 'default') return;
  getJson('/api/metrics/history').then((history) => {
    footer.version(history.version);
    live.mergeMetricsHistory(history.points);
  }).catch((e) => console.warn('metrics history unavailable:', e.message));
}

let everConnected = false;
const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
// A server with tokens is opened as /?token=<viewer token>. The WebSocket carries it as the subprotocol
// "bearer.<token>" (docs/security.md), which keeps it out of the request line that proxies log.
const token = new URLSearchParams(location.search).get('token');
// The swarm shown (docs/protocol.md 7.15): the default one unless the address names another.
const swarm = new URLSearchParams(location.search).get('swarm') || 'default';
const connection = new Connection({
  swarm,
  url: `${protocol}//${location.host}/ws`,
  protocols: token ? [`bearer.${token}`] : [],
  onFrame: (frame) => {
    timeline.observe(frame);
    live.apply(frame);
  },
  onResync: () => {
    live.resetEntities();
    timeline.resync();
  },
  onHistory: (frames) => live.applyHistory(frames),
  onPlayback: (frame) => timeline.onPlayback(frame),
  onConflated: (status) => {
    header.connection(status);
    dirty.add('header');
    scheduler.request();
  },
  onStatus: (status) => {
    header.connection(status);
    if (status.state === 'connected') {
      everConnected = true;
      live.setLive(true);
      footer.server(connection.welcome);
      loadMetricsHistory();
    } else if (everConnected) {
      live.setLive(false);
    }
    dirty.add('header');
    scheduler.request();
  },
});

// Time moves even when no event comes: durations of running tasks, the chart's window, the retry countdown.
setInterval(() => {
  dirty.add('header');
  if (router.current === 'tasks' || router.current === 'overview') dirty.add(router.current);
  scheduler.request();
}, 1000);

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    dirty.add('overview');
    dirty.add('topology');
    scheduler.request();
  }, 150);
});

createSwarmPicker({
  current: swarm,
  onPick: (picked) => {
    // Back to live first (a playback or a moment shown is the old swarm's), then start over on the new swarm.
    timeline.resync();
    live.resetAll();
    connection.switchSwarm(picked);
  },
});

router.start();
connection.start();
