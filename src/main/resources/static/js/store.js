import { Ring } from './ring.js';
import { loadTrace } from './trace.js';

/** How much the page keeps, so memory stays bounded under thousands of events per second. */
export const LIMITS = {
  messages: 5000,
  memory: 3000,
  agentEvents: 60,
  activity: 30,
  finishedTasks: 300,
  stoppedAgents: 200,
  metricsWindowMs: 5 * 60 * 1000,
  /** The rate cards show the mean of this many ms of per-second ticks, so they do not flicker 0 ↔ 3. */
  rateSmoothingMs: 5000,
  failuresShown: 50,
  /** Trace ids remembered per agent or task: enough to find it in the traces it took part in lately. */
  tracesPerEntity: 16,
};

/** The views a trace filter changes. */
const TRACED_VIEWS = ['agents', 'tasks', 'messages', 'memory', 'header'];

export const TASK_STATUSES = ['pending', 'assigned', 'running', 'completed', 'failed'];
const FINISHED = new Set(['completed', 'failed']);

/**
 * The dashboard's picture of the swarm, built from event frames only (their `data` view):
 * agents and tasks by id, messages and memory operations as capped streams, the newest topology, a
 * five-minute history of metrics, and each agent's recent events. `apply` returns nothing; it tells the
 * listener which views the frame touched, so only those re-render.
 */
export class Store {
  constructor() {
    this.listeners = [];
    this.agents = new Map();
    this.tasks = new Map();
    this.messages = new Ring(LIMITS.messages);
    this.memory = new Ring(LIMITS.memory);
    this.agentEvents = new Map();
    this.activity = new Ring(LIMITS.activity);
    this.topology = null;
    this.metrics = null;
    this.metricsHistory = [];
    this.namespaces = new Set();
    this.messageAgents = new Set();
    this.eventCount = 0;
    // When the newest frame was applied (page clock): what a stale view is "as of".
    this.lastDataAt = 0;
    // False while the connection is down after having been up: what is shown may be out of date.
    this.live = true;
    // Keys for stream rows that stay unique even when producers reuse ids or a restarted server reuses seqs.
    this.rowKeys = 0;
    // The trace the views are filtered to (trace.js), or null for everything.
    this.trace = null;
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  changed(...views) {
    for (const listener of this.listeners) listener(views);
  }

  /** The connection went down (false) or came back (true); views mark themselves stale meanwhile. */
  setLive(live) {
    if (this.live === live) return;
    this.live = live;
    this.changed('overview', 'agents', 'tasks', 'messages', 'memory', 'topology', 'header');
  }

  /** Another swarm is shown: everything goes, as on a page just opened (the listeners stay). */
  resetAll() {
    const listeners = this.listeners;
    Object.assign(this, new Store());
    this.listeners = listeners;
    this.changed('overview', 'agents', 'tasks', 'messages', 'memory', 'topology', 'header');
  }

  /** The server could not resume: per-id state may be stale, so it is rebuilt from the snapshot that follows. */
  resetEntities() {
    this.agents.clear();
    this.tasks.clear();
    this.topology = null;
    this.changed('overview', 'agents', 'tasks', 'topology', 'header');
  }

  apply(frame) {
    const data = frame.data || {};
    this.eventCount++;
    this.lastDataAt = Date.now();
    if (this.trace && frame.traceId === this.trace.id) noteTraceMembers(this.trace, frame);
    switch (frame.type) {
      case 'agent:status':
        this.applyAgent(data, frame);
        break;
      case 'task:update':
        this.applyTask(data, frame);
        break;
      case 'message:sent':
        this.applyMessage(data, frame);
        break;
      case 'memory:operation':
        this.applyMemory(data, frame);
        break;
      case 'topology:change':
        this.topology = {
          topology: data.topology,
          nodes: Array.isArray(data.nodes) ? data.nodes : [],
          edges: Array.isArray(data.edges) ? data.edges : [],
        };
        if (!frame.snapshot) this.activityEvent(frame, `Topology: ${data.topology}, ${this.topology.nodes.length} nodes, ${this.topology.edges.length} links`);
        this.changed('topology', 'header', 'overview');
        break;
      case 'metrics:update':
        this.applyMetrics(data, frame);
        break;
      default:
        // Pass-through events (agent:spawned, consensus, ...) carry producer-defined data; nothing to show yet.
        break;
    }
  }

  applyAgent(data, frame) {
    if (!data.id) return;
    const before = this.agents.get(data.id);
    // Each frame carries the whole agent: a field left out is cleared (currentTask after a task ends). Only
    // metrics, which a producer may send separately from status, carry over.
    const agent = { ...data, updatedAt: frame.timestamp, traceId: frame.traceId,
      traces: withTrace(before && before.traces, frame.traceId) };
    if (!data.metrics && before) agent.metrics = before.metrics;
    // Since when it has had this status (the failures panel sorts agents in error by it).
    agent.statusSince = before && before.status === agent.status && before.statusSince
      ? before.statusSince : (frame.snapshot && data.lastActivity) || frame.timestamp;
    this.agents.set(data.id, agent); // an existing id keeps its place, so the grid does not reshuffle
    if (!frame.snapshot && (!before || before.status !== agent.status)) {
      this.activityEvent(frame, `${agent.name || agent.id} is ${agent.status}`);
      this.agentEvent(data.id, frame, `status ${before ? `${before.status} → ` : ''}${agent.status}`
        + (agent.currentTask ? ` (task ${agent.currentTask})` : ''));
    }
    this.forgetOldStoppedAgents();
    this.changed('agents', 'overview', 'topology', 'tasks', 'header');
  }

  applyTask(data, frame) {
    if (!data.id) return;
    const before = this.tasks.get(data.id);
    // Likewise the whole task; only its creation and start times, which never change, carry over when left out.
    const task = { ...data, updatedAt: frame.timestamp, traceId: frame.traceId,
      traces: withTrace(before && before.traces, frame.traceId) };
    if (before) {
      task.createdAt ??= before.createdAt;
      if (task.status !== 'pending' && task.status !== 'assigned') task.startedAt ??= before.startedAt;
    }
    this.tasks.set(data.id, task);
    if (!frame.snapshot && (!before || before.status !== task.status)) {
      this.activityEvent(frame, `Task “${task.description || task.id}” ${task.status}`
        + (task.assignedAgent ? ` (${this.agentName(task.assignedAgent)})` : '') + (task.error ? `: ${task.error}` : ''));
    }
    if (!frame.snapshot && task.assignedAgent) {
      const what = task.status === 'running' && before && before.status === 'running'
        ? `progress ${task.progress ?? 0}%` : task.status;
      this.agentEvent(task.assignedAgent, frame, `task ${task.id} ${what}${task.error ? `: ${task.error}` : ''}`);
    }
    this.forgetOldFinishedTasks();
    this.changed('tasks', 'overview', 'agents', 'header');
  }

  /** Older stream events (a replay), oldest first: they go behind what the live stream already holds. */
  applyHistory(frames) {
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      if (frame.type === 'message:sent') this.messages.pushOldest(this.messageOf(frame.data || {}, frame));
      else if (frame.type === 'memory:operation') this.memory.pushOldest(this.memoryOpOf(frame.data || {}, frame));
    }
    for (const m of this.messages.all()) this.noteMessageAgents(m);
    for (const op of this.memory.all()) if (op.namespace) this.namespaces.add(op.namespace);
    this.changed('messages', 'memory');
  }

  applyMessage(data, frame) {
    const message = this.messageOf(data, frame);
    this.messages.push(message);
    this.noteMessageAgents(message);
    const text = `${message.type} message ${message.source} → ${message.target}`;
    this.activityEvent(frame, `${this.agentName(message.source)} → ${message.target === '*' ? 'all' : this.agentName(message.target)}: ${message.type} message`);
    if (message.source) this.agentEvent(message.source, frame, `sent ${text}`);
    if (message.target && message.target !== message.source) this.agentEvent(message.target, frame, `received ${text}`);
    this.changed('messages', 'agents', 'overview');
  }

  noteMessageAgents(message) {
    if (message.source) this.messageAgents.add(message.source);
    if (message.target && message.target !== '*') this.messageAgents.add(message.target);
  }

  messageOf(data, frame) {
    this.rowKeys++;
    return {
      rowKey: this.rowKeys,
      seq: frame.seq, // where it sits in the log: the timeline cuts streams at a point by it
      id: data.id || frame.id || `m-${this.rowKeys}`,
      source: data.source ?? frame.source,
      target: data.target ?? frame.target,
      type: data.type ?? frame.messageType,
      size: data.size ?? frame.size,
      content: typeof data.content === 'string' ? data.content : JSON.stringify(data.content ?? ''),
      // The whole payload, for the expanded row; the server cuts big ones in frames and says so.
      payload: data.data !== undefined ? data.data : frame.payload,
      truncated: frame.truncated === true,
      timestamp: data.timestamp ?? frame.timestamp,
      traceId: frame.traceId,
      parentId: frame.parentId,
    };
  }

  applyMemory(data, frame) {
    const op = this.memoryOpOf(data, frame);
    this.memory.push(op);
    if (op.namespace) this.namespaces.add(op.namespace);
    this.activityEvent(frame, `Memory ${op.operation} ${op.namespace}/${op.key ?? op.query ?? ''}`
      + (op.agentId ? ` by ${this.agentName(op.agentId)}` : ''));
    if (op.agentId) {
      this.agentEvent(op.agentId, frame, `memory ${op.operation} ${op.namespace}/${op.key ?? op.query ?? ''}`);
    }
    this.changed('memory', 'agents', 'overview');
  }

  memoryOpOf(data, frame) {
    this.rowKeys++;
    return {
      rowKey: this.rowKeys,
      seq: frame.seq,
      id: data.id || frame.id || `mem-${this.rowKeys}`,
      operation: data.operation,
      namespace: data.namespace,
      key: data.key,
      query: data.query,
      resultCount: data.resultCount,
      cacheHit: data.cacheHit,
      latency: data.latency ?? data.duration,
      success: data.success !== false,
      error: data.error,
      agentId: data.agentId,
      timestamp: data.timestamp ?? frame.timestamp,
      traceId: frame.traceId,
      parentId: frame.parentId,
    };
  }

  applyMetrics(data, frame) {
    this.metrics = data;
    const t = frame.timestamp || Date.now();
    const history = this.metricsHistory;
    // A snapshot after a reconnect repeats the newest tick; keep time moving forward only.
    if (history.length && history[history.length - 1].t >= t) return this.changed('overview');
    history.push(metricsPoint(data, t));
    this.forgetOldMetrics();
    this.changed('overview');
  }

  /**
   * Ticks from `GET /api/metrics/history` (oldest first): they fill the chart of a page just opened, and the
   * gap of one that was disconnected. Ticks already held (same timestamp) are not added twice.
   */
  mergeMetricsHistory(points) {
    if (!Array.isArray(points) || !points.length) return;
    const held = new Set(this.metricsHistory.map((p) => p.t));
    const added = points.filter((p) => Number.isFinite(p.timestamp) && !held.has(p.timestamp))
      .map((p) => metricsPoint(p, p.timestamp));
    if (!added.length) return;
    this.metricsHistory = [...this.metricsHistory, ...added].sort((a, b) => a.t - b.t);
    this.forgetOldMetrics();
    if (!this.metrics) this.metrics = points[points.length - 1];
    this.changed('overview');
  }

  forgetOldMetrics() {
    const history = this.metricsHistory;
    const cutoff = history[history.length - 1].t - LIMITS.metricsWindowMs;
    let drop = 0;
    while (drop < history.length && history[drop].t < cutoff) drop++;
    if (drop) history.splice(0, drop);
  }

  /** The mean of a rate over the newest `LIMITS.rateSmoothingMs` of ticks, or null before the first tick. */
  smoothedRate(key) {
    const history = this.metricsHistory;
    if (!history.length) return null;
    const from = history[history.length - 1].t - LIMITS.rateSmoothingMs;
    let sum = 0;
    let n = 0;
    for (let i = history.length - 1; i >= 0 && history[i].t > from; i--) {
      sum += history[i][key];
      n++;
    }
    return sum / n;
  }

  /** Failed tasks and agents in error, newest first: what needs a person's attention. */
  failures() {
    const out = [];
    for (const task of this.tasks.values()) {
      if (task.status === 'failed') {
        out.push({ kind: 'task', id: task.id, at: task.completedAt || task.updatedAt || 0, task });
      }
    }
    for (const agent of this.agents.values()) {
      if (agent.status === 'error') out.push({ kind: 'agent', id: agent.id, at: agent.statusSince || 0, agent });
    }
    return out.sort((a, b) => b.at - a.at).slice(0, LIMITS.failuresShown);
  }

  /** The tasks an agent has (or had) been given, newest first. */
  tasksOf(agentId) {
    return [...this.tasks.values()].filter((t) => t.assignedAgent === agentId)
      .sort((a, b) => (b.updatedAt || 0) - (a.updatedAt || 0));
  }

  /** The overview's feed: what happened lately, across every kind of event. */
  activityEvent(frame, text) {
    this.activity.push({ key: this.eventCount, seq: frame.seq, timestamp: frame.timestamp, type: frame.type, text });
  }

  agentEvent(agentId, frame, text) {
    let ring = this.agentEvents.get(agentId);
    if (!ring) {
      ring = new Ring(LIMITS.agentEvents);
      this.agentEvents.set(agentId, ring);
    }
    ring.push({ key: `${frame.id || frame.seq || this.eventCount}-${ring.total}`, seq: frame.seq, timestamp: frame.timestamp,
      type: frame.type, text, traceId: frame.traceId });
  }

  /** Finished tasks leave the board oldest first once there are more than the limit. */
  forgetOldFinishedTasks() {
    let finished = 0;
    for (const task of this.tasks.values()) if (FINISHED.has(task.status)) finished++;
    if (finished <= LIMITS.finishedTasks) return;
    const oldest = [...this.tasks.values()].filter((t) => FINISHED.has(t.status))
      .sort((a, b) => (a.updatedAt || 0) - (b.updatedAt || 0));
    for (let i = 0; i < finished - LIMITS.finishedTasks; i++) this.tasks.delete(oldest[i].id);
  }

  forgetOldStoppedAgents() {
    const stopped = [...this.agents.values()].filter((a) => a.status === 'stopped');
    for (let i = 0; i < stopped.length - LIMITS.stoppedAgents; i++) {
      this.agents.delete(stopped[i].id);
      this.agentEvents.delete(stopped[i].id);
    }
  }

  /** Counts the overview and the navigation show. */
  counts() {
    let live = 0;
    let active = 0;
    for (const agent of this.agents.values()) {
      if (agent.status === 'stopped') continue;
      live++;
      if (agent.status === 'active' || agent.status === 'busy') active++;
    }
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0]));
    for (const task of this.tasks.values()) {
      if (task.status in byStatus) byStatus[task.status]++;
    }
    return { agents: live, activeAgents: active, tasks: byStatus, openTasks: byStatus.pending + byStatus.assigned + byStatus.running };
  }

  /** Filters the views to one trace (its id), or shows everything again (null). */
  showTrace(traceId) {
    if ((this.trace ? this.trace.id : null) === (traceId || null)) return;
    this.trace = traceId
      ? { id: traceId, agents: new Set(), tasks: new Set(), historyCount: null, complete: true, error: null } : null;
    if (traceId) loadTrace(this, traceId);
    this.changed(...TRACED_VIEWS);
  }

  /** The server's answer for the trace shown (`GET /api/trace/{id}`), or why there is none. */
  traceHistory(traceId, answer, error) {
    const trace = this.trace;
    if (!trace || trace.id !== traceId) return; // another trace was picked meanwhile
    if (answer) {
      for (const frame of answer.events || []) noteTraceMembers(trace, frame);
      trace.historyCount = answer.count;
      trace.complete = answer.complete !== false;
    } else {
      trace.error = /HTTP 404/.test(error || '')
        ? 'none of its events are left in the server\'s history; showing what this page saw'
        : `its history is unavailable (${error}); showing what this page saw`;
    }
    this.changed(...TRACED_VIEWS);
  }

  /** Whether an agent, task, message or memory operation belongs to the trace shown; always true without one. */
  inTrace(kind, item) {
    const trace = this.trace;
    if (!trace) return true;
    switch (kind) {
      case 'agent': return trace.agents.has(item.id) || (item.traces && item.traces.has(trace.id));
      case 'task': return trace.tasks.has(item.id) || (item.traces && item.traces.has(trace.id));
      default: return item.traceId === trace.id;
    }
  }

  agentName(id) {
    if (!id) return '';
    const agent = this.agents.get(id);
    return agent && agent.name ? agent.name : id;
  }
}

/** An entity's recent trace ids with one more (a new Set: entities are replaced, not changed, on each frame). */
function withTrace(traces, traceId) {
  if (!traceId) return traces;
  if (traces && traces.has(traceId)) return traces;
  const next = new Set(traces);
  next.add(traceId);
  if (next.size > LIMITS.tracesPerEntity) next.delete(next.values().next().value);
  return next;
}

/** The agents and tasks a frame of the trace names: they belong to the trace from now on. */
function noteTraceMembers(trace, frame) {
  const data = frame.data || {};
  switch (frame.type) {
    case 'agent:status':
      if (data.id) trace.agents.add(data.id);
      break;
    case 'task:update':
      if (data.id) trace.tasks.add(data.id);
      if (data.assignedAgent) trace.agents.add(data.assignedAgent);
      break;
    case 'message:sent':
      if (data.source) trace.agents.add(data.source);
      if (data.target && data.target !== '*') trace.agents.add(data.target);
      break;
    case 'memory:operation':
      if (data.agentId) trace.agents.add(data.agentId);
      break;
    default:
      break;
  }
}

function metricsPoint(data, t) {
  return {
    t,
    messagesPerSecond: Number(data.messagesPerSecond) || 0,
    memoryOpsPerSecond: Number(data.memoryOpsPerSecond) || 0,
    activeAgents: Number(data.activeAgents) || 0,
  };
}
