import { getJson } from './api.js';
import { el, setAttr, setText } from './dom.js';
import { formatDuration, formatTime } from './format.js';
import { storeAt } from './point-store.js';

/** Playback speeds offered: the log's own spacing between events divided by these. */
export const SPEEDS = [1, 4, 16];

const ALL_VIEWS = ['overview', 'agents', 'tasks', 'messages', 'memory', 'topology', 'header'];
/** What a playback replays: every durable channel (metrics are not in the log; the chart keeps its own ticks). */
const PLAYED_CHANNELS = ['agents', 'tasks', 'messages', 'memory', 'topology'];
/** Failed tasks whose failing seq is remembered (the newest stay); bounds memory on a page left open for days. */
const FAILURES_KEPT = 1000;

/**
 * The timeline under the header: which moment of the swarm the views show.
 *
 * LIVE (the default): the views show the live store, fed by the WebSocket. Dragging the scrubber to an
 * earlier seq (or "Moment it failed" on a failed task card) switches to REPLAY: the page fetches
 * `GET /api/state?atSeq=N` (or `?at=T`; docs/protocol.md section 7.13), builds a store of the swarm as it was
 * then (point-store.js) and every view draws from that one instead. The live store keeps taking live events
 * meanwhile, so "Back to live" (or the scrubber dragged to its right end) shows the present at once.
 *
 * Play asks the server for a playback from the moment shown (section 7.14) on the page's own WebSocket:
 * a snapshot at that point, then the logged events (marked `playback: true`) at 1×, 4× or 16× their
 * original spacing, applied to a store of their own. The server holds back live events meanwhile; when the
 * playback reaches the present (`ended`), or on Back to live (`stop`), it resumes the page's live stream
 * without a gap, and the page shows LIVE again.
 *
 * Views never learn which store they read: they get `timeline.store`, a stand-in that forwards to the store
 * shown. Only `live` (is the connection up) and `lastDataAt` always come from the live store, since they are
 * about the connection rather than the swarm.
 *
 * @param {object} options
 * @param {import('./store.js').Store} options.live the live store
 * @param {() => {state: string, lastSeq: number|null, opens: number}} options.position the connection's state
 * @param {(request: object) => boolean} options.send sends a request on the page's WebSocket; false when down
 * @param {() => boolean} [options.available] whether the swarm shown has a timeline: the server keeps the default
 *        swarm's only (docs/protocol.md 7.13), so for another swarm the scrubber stays at LIVE, disabled
 */
export function createTimeline({ live, position, send, available = () => true }) {
  let mode = 'live';
  let shown = live;
  let point = null; // {seq, timestamp, arrivedAt} while in replay
  let oldest = null; // the oldest seq the server can still show, once known
  let newestKnown = 0; // the newest seq a state answer or a playback told of (live events pause during a playback)
  let speed = SPEEDS[0];
  let dragging = false;
  let problem = '';
  // Every fetch takes a ticket; an answer whose ticket is no longer the newest is dropped (a later drag, or live).
  let ticket = 0;
  let inFlight = false;
  let queued = null;
  // A playback the server runs for this page: null, 'starting', 'playing' or 'paused'; on which connection, at what speed.
  let session = null;
  let sessionOpens = 0;
  let sessionSpeed = speed;
  let played = null; // the store a playback feeds
  const failureSeqs = new Map();
  const listeners = [];

  const store = new Proxy(live, {
    get(_, key) {
      const from = key === 'live' || key === 'lastDataAt' ? live : shown;
      const value = from[key];
      return typeof value === 'function' ? value.bind(from) : value;
    },
  });

  // The bar is built here rather than in index.html, so this feature lives in this file (and timeline.css).
  const modeBadge = el('span', { class: 'timeline-mode', id: 'timeline-mode', role: 'status', 'aria-live': 'polite', dataset: { testid: 'timeline-mode' } }, 'LIVE');
  const playButton = el('button', { type: 'button', class: 'timeline-play', dataset: { testid: 'timeline-play' } });
  const speedButtons = SPEEDS.map((s) => el('button', { type: 'button', class: 'timeline-speed', dataset: { speed: s, testid: `timeline-speed-${s}` } }, `${s}×`));
  const range = el('input', { type: 'range', class: 'timeline-range', id: 'timeline-range', min: 0, max: 0, step: 1, value: 0, 'aria-label': 'Moment shown, as an event seq', dataset: { testid: 'timeline-range' } });
  const where = el('span', { class: 'timeline-where', dataset: { testid: 'timeline-where' } });
  const liveButton = el('button', { type: 'button', class: 'timeline-live', dataset: { testid: 'timeline-live' } }, 'Back to live');
  const bar = el('div', { class: 'timeline', id: 'timeline', role: 'group', 'aria-label': 'Timeline', dataset: { testid: 'timeline', mode } },
    modeBadge, playButton, el('span', { class: 'timeline-speeds', role: 'group', 'aria-label': 'Playback speed' }, ...speedButtons),
    range, where, liveButton);
  document.querySelector('.app-header').after(bar);
  const main = document.getElementById('main');

  range.addEventListener('pointerdown', () => { dragging = true; });
  window.addEventListener('pointerup', () => { dragging = false; });
  range.addEventListener('change', () => { dragging = false; });
  range.addEventListener('input', () => {
    const seq = Number(range.value);
    if (seq >= newestSeq()) goLive();
    else seek({ atSeq: seq });
  });
  playButton.addEventListener('click', () => (session === 'playing' || session === 'starting' ? pause() : play()));
  for (const button of speedButtons) {
    button.addEventListener('click', () => {
      speed = Number(button.dataset.speed);
      if (session === 'playing' || session === 'starting') startPlayback(); // a new playback replaces the running one
      changed(['header']);
    });
  }
  liveButton.addEventListener('click', goLive);
  // Failed task cards ask for their moment with this event, so the views need not know the timeline.
  document.addEventListener('timeline:jump-to-failure', (event) => jumpToFailure(event.detail && event.detail.taskId));

  live.onChange((views) => {
    if (shown === live) changed(views);
    else if (views.includes('header')) changed(['header']); // the scrubber's right end moved
  });

  /**
   * The time the views draw at: the clock when live; in replay the moment shown, which during a playback
   * moves on between events at the playback's speed (running tasks' durations count up as they did).
   */
  function viewTime(clock) {
    if (mode !== 'replay' || !point) return clock;
    if (session === 'playing' && point.arrivedAt) return point.timestamp + (clock - point.arrivedAt) * sessionSpeed;
    return point.timestamp;
  }

  function changed(views) {
    for (const listener of listeners) listener(views);
  }

  /** The scrubber's right end: the newest seq the page knows of, live or from the server's answers. */
  function newestSeq() {
    const seq = position().lastSeq;
    return Math.max(typeof seq === 'number' ? seq : 0, newestKnown);
  }

  /** Shows the point `target` ({atSeq} or {at}); while one fetch runs, only the newest target waits. */
  function seek(target) {
    if (!available()) return;
    stopPlayback();
    queued = target;
    if (!inFlight) fetchQueued();
  }

  async function fetchQueued() {
    const target = queued;
    queued = null;
    if (!target) return;
    inFlight = true;
    const mine = ++ticket;
    try {
      const query = 'atSeq' in target ? `atSeq=${encodeURIComponent(target.atSeq)}` : `at=${encodeURIComponent(target.at)}`;
      const state = await getJson(`/api/state?${query}`);
      if (mine === ticket) show(state, target);
    } catch (e) {
      if (mine === ticket) failed(e, target);
    } finally {
      inFlight = false;
      if (queued) fetchQueued();
    }
  }

  function show(state, target) {
    problem = '';
    if (Number.isFinite(state.newestSeq)) newestKnown = Math.max(newestKnown, state.newestSeq);
    point = pointOf(state, target);
    const at = storeAt(state, point, live);
    at.onChange((views) => { if (shown === at) changed(views); });
    shown = at;
    mode = 'replay';
    changed(ALL_VIEWS);
  }

  /** 410: the point is older than the history the server can rebuild; its answer names the oldest it can show. */
  function failed(e, target) {
    if (e.status === 410 && e.body && Number.isFinite(e.body.oldestSeq)) {
      const retry = oldest !== e.body.oldestSeq;
      oldest = e.body.oldestSeq;
      if (retry) {
        seek({ atSeq: oldest });
        return;
      }
    }
    problem = `Could not show that moment (${e.message})`;
    console.warn('timeline:', e.message, target);
    changed(['header']);
  }

  function goLive() {
    stopPlayback();
    ticket++; // an answer still on its way is for a moment no longer wanted
    queued = null;
    problem = '';
    const wasReplay = mode !== 'live';
    mode = 'live';
    shown = live;
    point = null;
    changed(wasReplay ? ALL_VIEWS : ['header']);
  }

  function jumpToFailure(taskId) {
    if (!taskId) return;
    const seq = failureSeqs.get(taskId);
    if (seq !== undefined) {
      seek({ atSeq: seq });
      return;
    }
    // Failed before this page opened (it came in a snapshot, without a seq): its end time is the moment.
    const task = live.tasks.get(taskId) || shown.tasks.get(taskId);
    if (task && Number.isFinite(task.completedAt)) seek({ at: task.completedAt });
  }

  function play() {
    if (mode !== 'replay' || !point) return;
    if (session === 'paused' && sessionSpeed === speed) {
      if (send({ type: 'resume' })) session = 'playing';
    } else {
      startPlayback();
    }
    changed(['header']);
  }

  function startPlayback() {
    ticket++; // a scrub answer still on its way would jump back
    queued = null;
    if (!send({ type: 'playback', fromSeq: point.seq, speed, channels: PLAYED_CHANNELS })) {
      problem = 'Playback needs the connection to the server';
      return;
    }
    problem = '';
    session = 'starting';
    sessionOpens = position().opens;
    sessionSpeed = speed;
  }

  function pause() {
    if (session === 'playing' && send({ type: 'pause' })) session = 'paused';
    changed(['header']);
  }

  /** Ends the server's playback, if one runs: it then resumes this page's live stream. */
  function stopPlayback() {
    if (!session) return;
    send({ type: 'stop' });
    session = null;
    played = null;
    changed(['header']);
  }

  /** Frames of a playback: its `playback` status frames, its events (`playback: true`) and its errors. */
  function onPlayback(frame) {
    if (frame.type === 'playback') {
      playbackStatus(frame);
      return;
    }
    if (frame.type === 'error') {
      if (Number.isFinite(frame.oldestSeq)) oldest = frame.oldestSeq;
      problem = `Playback refused: ${frame.message || frame.code}`;
      if (session === 'starting') session = null;
      changed(['header']);
      return;
    }
    if (!played || !session) return; // what a stopped playback still had on the way
    played.apply(frame);
    if (!frame.snapshot && typeof frame.seq === 'number') {
      point = { seq: frame.seq, timestamp: frame.timestamp || point.timestamp, arrivedAt: Date.now() };
      newestKnown = Math.max(newestKnown, frame.seq);
      changed(['header']);
    }
  }

  function playbackStatus(frame) {
    switch (frame.status) {
      case 'started':
      case 'seeked': {
        if (!session) return; // one this page stopped already
        session = 'playing';
        point = { seq: frame.atSeq, timestamp: frame.atTime || (point && point.timestamp) || Date.now(), arrivedAt: Date.now() };
        // The server's snapshot follows; streams (which have none) are what the page holds, cut at the point.
        const at = storeAt({}, point, live);
        at.onChange((views) => { if (shown === at) changed(views); });
        played = at;
        shown = at;
        mode = 'replay';
        changed(ALL_VIEWS);
        return;
      }
      case 'paused':
        if (session) session = 'paused';
        break;
      case 'resumed':
        if (session) session = 'playing';
        if (point) point.arrivedAt = Date.now();
        break;
      case 'ended':
        // It reached the present; the live stream resumes on its own (the `live` frame follows).
        if (session && session !== 'starting') {
          session = null;
          played = null;
          goLive();
        }
        return;
      case 'stopped':
        if (session && session !== 'starting') {
          session = null;
          played = null;
        }
        break;
      case 'live':
        // The server resumed the live stream; if it could not replay what this page missed, a snapshot follows.
        if (frame.recovered === false) live.resetEntities();
        break;
      default:
        break;
    }
    changed(['header']);
  }

  return {
    /** What views read: the store of the moment shown. */
    store,

    onChange(listener) {
      listeners.push(listener);
    },

    onPlayback,

    /** Every live frame, before the live store applies it: remembers the seq at which each task failed. */
    observe(frame) {
      if (frame.type !== 'task:update' || frame.snapshot || typeof frame.seq !== 'number') return;
      const id = frame.data && frame.data.id;
      if (!id) return;
      failureSeqs.delete(id);
      if (frame.data.status === 'failed') {
        failureSeqs.set(id, frame.seq);
        if (failureSeqs.size > FAILURES_KEPT) failureSeqs.delete(failureSeqs.keys().next().value);
      }
    },

    /** The server's log restarted: its seqs mean something else now, so go back to live. */
    resync() {
      failureSeqs.clear();
      oldest = null;
      newestKnown = 0;
      session = null;
      goLive();
    },

    now: viewTime,

    render(now) {
      const pos = position();
      if (session && (pos.state !== 'connected' || pos.opens !== sessionOpens)) {
        // The link the playback ran on is gone, and the playback with it; the page stays at the moment reached.
        session = null;
        played = null;
      }
      const newest = newestSeq();
      const min = Math.min(oldest ?? 0, newest);
      setAttr(range, 'min', min);
      setAttr(range, 'max', newest);
      const usable = available();
      range.disabled = newest === 0 || !usable;
      if (!dragging) {
        const value = String(mode === 'replay' && point ? point.seq : newest);
        if (range.value !== value) range.value = value;
      }
      const seq = mode === 'replay' && point ? point.seq : newest;
      setAttr(bar, 'data-mode', mode);
      setAttr(bar, 'data-seq', seq);
      setAttr(bar, 'data-playback', session || 'none');
      setAttr(modeBadge, 'data-mode', mode);
      setText(modeBadge, mode === 'replay' ? 'REPLAY' : 'LIVE');
      main.classList.toggle('replay', mode === 'replay');
      setAttr(main, 'data-seq', mode === 'replay' ? seq : null);

      const running = session === 'playing' || session === 'starting';
      setText(playButton, running ? '❚❚' : '▶');
      setAttr(playButton, 'aria-label', running ? 'Pause' : `Play at ${speed}×`);
      setAttr(playButton, 'title', mode === 'replay' ? (running ? 'Pause' : `Play from here at ${speed}×`) : 'Drag the timeline back to play from there');
      playButton.disabled = mode !== 'replay';
      for (const button of speedButtons) setAttr(button, 'aria-pressed', Number(button.dataset.speed) === speed ? 'true' : 'false');
      liveButton.disabled = mode === 'live';

      setAttr(bar, 'data-available', usable ? 'true' : 'false');
      let text;
      if (!usable) text = 'live · the timeline shows the default swarm only';
      else if (problem) text = problem;
      else if (mode === 'live') text = newest ? `now · seq ${newest}` : 'now · no events yet';
      else {
        const t = viewTime(now);
        text = `seq ${seq} of ${newest} · ${formatTime(t)} (${formatDuration(Math.max(0, now - t)) || '0 s'} ago)`
          + (session === 'playing' ? ` · playing ${sessionSpeed}×` : session === 'paused' ? ' · paused' : '');
      }
      setText(where, text);
    },
  };
}

/** The point an answer represents (docs/protocol.md 7.13: `atSeq` and `atTime`), else what was asked for. */
function pointOf(state, target) {
  const seq = Number.isFinite(state.atSeq) ? state.atSeq : target.atSeq ?? 0;
  const timestamp = Number.isFinite(state.atTime) && state.atTime > 0 ? state.atTime : target.at ?? Date.now();
  return { seq, timestamp, arrivedAt: Date.now() };
}
