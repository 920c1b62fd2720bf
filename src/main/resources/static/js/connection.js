import { backoffDelay } from './backoff.js';

/** Error codes about a playback (docs/protocol.md 7.14): they go to the playback's owner, not the console. */
const PLAYBACK_ERRORS = new Set(['history_trimmed', 'playback_limit', 'no_playback', 'playback_active']);

/** How far back (in seqs, over all channels) a newly opened page looks for recent messages and memory operations. */
const HISTORY_SEQS = 2000;

/**
 * The WebSocket link to the server the page came from, and the protocol's resume rules (docs/protocol.md section 4):
 *
 * - every subscribe carries `sinceSeq` and `epoch`. On the first connection they come from `welcome`, so
 *   events published between the welcome and the subscribe are not lost either; on a reconnect they are the
 *   last durable event seen and the epoch it belonged to, so the server replays exactly what was missed;
 * - `subscribed.recovered === false` (the server restarted, or its history no longer reaches back) means the
 *   kept state may be stale: `onResync` tells the owner to drop it and rebuild from the snapshot that follows;
 * - durable events at or below the last seq seen are dropped, so a repeat can never count twice;
 * - the page subscribes with `conflate: true`: when it cannot keep up, the server sends only the latest state of
 *   each agent, task, topology and metrics, skips messages and memory operations, and says so with a `conflated`
 *   notice after the frames it covers (section 7.3a). Every seq up to the notice's `toSeq` has then been applied
 *   or skipped, so the resume position moves on to it; the header shows how many updates were merged.
 *
 * Browsers cannot see WebSocket pings, so an application `ping` goes out every 30 s, and a link that has been
 * silent for too long (metrics alone arrive every second) is closed and reconnected.
 */
export class Connection {
  /**
   * @param {object} options
   * @param {string} options.url WebSocket URL
   * @param {string[]} [options.protocols] WebSocket subprotocols to offer (the token, as "bearer.<token>")
   * @param {(frame: object) => void} options.onFrame every event frame, in order, duplicates removed
   * @param {() => void} options.onResync the server could not resume: drop per-id state before the snapshot
   * @param {(status: object) => void} options.onStatus connection state changes
   * @param {(frames: object[]) => void} options.onHistory stream events older than any seen live, oldest first
   * @param {(status: object) => void} options.onConflated the server merged updates (status.merged grew)
   * @param {(frame: object) => void} options.onPlayback a playback's frames: its status frames, its events
   *        (`playback: true`, kept apart from the live stream and its resume position) and its errors
   * @param {string} [options.swarm] the swarm to subscribe to (docs/protocol.md 7.15); 'default' sends no `swarm`
   */
  constructor({ url, protocols = [], onFrame, onResync, onStatus, onHistory = () => {}, onConflated = () => {},
    onPlayback = () => {}, pingIntervalMs = 30000, silenceLimitMs = 75000, swarm = 'default' }) {
    this.url = url;
    this.swarm = swarm;
    this.protocols = protocols;
    this.onFrame = onFrame;
    this.onResync = onResync;
    this.onStatus = onStatus;
    this.onHistory = onHistory;
    this.onConflated = onConflated;
    this.onPlayback = onPlayback;
    this.historyBefore = 0;
    this.pingIntervalMs = pingIntervalMs;
    this.silenceLimitMs = silenceLimitMs;
    this.socket = null;
    this.attempt = 0;
    this.retryAt = 0;
    this.retryTimer = 0;
    this.pingTimer = 0;
    this.lastFrameAt = 0;
    this.stopped = false;
    // Resume position: the epoch of the log we have state from and the newest durable seq applied.
    this.epoch = null;
    this.lastSeq = null;
    this.welcome = null;
    this.opens = 0;
    this.recovered = null;
    // Frames the server merged away (conflation) since the page opened, and when it last did.
    this.merged = 0;
    this.lastMergedAt = 0;
    this.state = 'connecting';
    window.addEventListener('online', () => {
      if (this.state === 'disconnected' && !this.stopped) this.connectNow();
    });
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  /** What the header shows, and what tests read from the page. */
  status() {
    return {
      state: this.state,
      attempt: this.attempt,
      retryAt: this.retryAt,
      epoch: this.epoch,
      lastSeq: this.lastSeq,
      opens: this.opens,
      recovered: this.recovered,
      merged: this.merged,
      lastMergedAt: this.lastMergedAt,
    };
  }

  connectNow() {
    clearTimeout(this.retryTimer);
    this.connect();
  }

  /**
   * Starts over on another swarm: a new connection, with no resume position (a swarm's events since some seq are
   * not the events the page holds), so the subscribe brings that swarm's snapshot and recent streams.
   */
  switchSwarm(swarm) {
    this.swarm = swarm;
    this.epoch = null;
    this.lastSeq = null;
    this.welcome = null;
    this.recovered = null;
    const old = this.socket;
    this.socket = null; // its close must not schedule a reconnect
    this.stopPings();
    if (old) old.close(1000, 'swarm changed');
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.connect();
  }

  connect() {
    this.retryAt = 0;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket;
    try {
      socket = new WebSocket(this.url, this.protocols);
    } catch (e) {
      // Only a malformed URL throws here; treat it like a failed attempt.
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.opens++;
      this.lastFrameAt = Date.now();
      this.startPings(socket);
    };
    socket.onmessage = (message) => {
      if (socket !== this.socket) return;
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch (e) {
        return; // the server only sends JSON; ignore anything else rather than stop the page
      }
      this.receive(socket, frame);
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.stopPings();
      if (!this.stopped) this.scheduleReconnect();
    };
    // A failed connection also fires close, which does the work; the browser logs the failure itself.
    socket.onerror = () => {};
  }

  receive(socket, frame) {
    switch (frame.type) {
      case 'welcome':
        this.welcome = frame;
        this.subscribe(socket, frame);
        return;
      case 'subscribed':
        this.subscribed(frame);
        return;
      case 'replay':
        this.history(frame);
        return;
      case 'conflated':
        this.conflated(frame);
        return;
      case 'pong':
      case 'unsubscribed':
        return;
      case 'playback':
        this.onPlayback(frame);
        return;
      case 'error':
        if (frame.code === 'unknown_swarm') {
          // The swarm named in the address is not (or no longer) on this server: say so rather than show nothing.
          this.setState('unknown-swarm');
          return;
        }
        if (PLAYBACK_ERRORS.has(frame.code)) {
          this.onPlayback(frame);
          return;
        }
        // history_gap follows `subscribed` with recovered:false, already handled; others are worth a look.
        if (frame.code !== 'history_gap') console.warn('server error frame', frame.code, frame.message);
        return;
      default:
        this.event(frame);
    }
  }

  subscribe(socket, welcome) {
    const resuming = this.epoch !== null && this.lastSeq !== null;
    const request = {
      type: 'subscribe',
      channel: '*',
      sinceSeq: resuming ? this.lastSeq : welcome.seq,
      epoch: resuming ? this.epoch : welcome.epoch,
      conflate: true,
    };
    if (this.swarm && this.swarm !== 'default') request.swarm = this.swarm;
    socket.send(JSON.stringify(request));
  }

  subscribed(frame) {
    this.recovered = frame.recovered !== false;
    if (!this.recovered) {
      // A new log (server restart) or history too short: start over from this connection's welcome.
      this.lastSeq = this.welcome ? this.welcome.seq : 0;
      this.onResync();
    } else if (this.lastSeq === null) {
      this.lastSeq = this.welcome ? this.welcome.seq : 0;
    }
    const firstContact = this.epoch === null || !this.recovered;
    this.epoch = frame.epoch || (this.welcome && this.welcome.epoch) || this.epoch;
    this.attempt = 0;
    this.setState('connected');
    if (firstContact && this.welcome && this.welcome.seq > 0 && this.socket) {
      // Streams have no snapshot: ask for the recent ones, so a page opened late is not blank.
      this.historyBefore = this.welcome.seq;
      this.socket.send(JSON.stringify({
        type: 'replay', channels: ['messages', 'memory'],
        sinceSeq: Math.max(0, this.welcome.seq - HISTORY_SEQS), limit: HISTORY_SEQS,
      }));
    }
  }

  /** Recent stream events from before this page subscribed; newer ones came (or come) live. */
  history(frame) {
    const older = (frame.events || []).filter((e) => typeof e.seq === 'number' && e.seq <= this.historyBefore);
    if (older.length) this.onHistory(older);
  }

  /** The page fell behind and the server merged updates: the frames before this notice carry the state. */
  conflated(frame) {
    const skipped = frame.skipped || {};
    this.merged += Object.keys(skipped).reduce((sum, channel) => sum + skipped[channel], 0);
    this.lastMergedAt = Date.now();
    if (typeof frame.toSeq === 'number' && (this.lastSeq === null || frame.toSeq > this.lastSeq)) {
      this.lastSeq = frame.toSeq;
    }
    this.onConflated(this.status());
  }

  event(frame) {
    if (frame.playback === true) {
      this.onPlayback(frame);
      return;
    }
    // Snapshot frames carry no seq and always apply; durable events apply once, in seq order.
    if (typeof frame.seq === 'number' && !frame.snapshot) {
      if (this.lastSeq !== null && frame.seq <= this.lastSeq) return;
      this.lastSeq = frame.seq;
    }
    this.onFrame(frame);
  }

  /** Sends a request on the open link (a playback's, from the timeline); false when the page is not connected. */
  send(request) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN || this.state !== 'connected') return false;
    this.socket.send(JSON.stringify(request));
    return true;
  }

  scheduleReconnect() {
    if (!navigator.onLine) {
      // Nothing to gain from retrying offline; the 'online' listener reconnects at once.
      this.setState('disconnected');
      return;
    }
    this.attempt++;
    const delay = backoffDelay(this.attempt);
    this.retryAt = Date.now() + delay;
    this.setState('reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  startPings(socket) {
    this.stopPings();
    const checkEvery = Math.min(this.pingIntervalMs, 5000);
    let sinceLastPing = 0;
    this.pingTimer = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (Date.now() - this.lastFrameAt > this.silenceLimitMs) {
        // A half-open link shows no close event for minutes; give up on it and reconnect.
        socket.close(4000, 'silent');
        return;
      }
      sinceLastPing += checkEvery;
      if (sinceLastPing >= this.pingIntervalMs) {
        sinceLastPing = 0;
        socket.send('{"type":"ping"}');
      }
    }, checkEvery);
  }

  stopPings() {
    clearInterval(this.pingTimer);
    this.pingTimer = 0;
  }

  setState(state) {
    this.state = state;
    this.onStatus(this.status());
  }
}
