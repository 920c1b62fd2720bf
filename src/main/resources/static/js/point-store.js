import { Ring } from './ring.js';
import { Store } from './store.js';

/**
 * Builds a Store that shows the swarm as it was at one point of the event log, from the answer of
 * `GET /api/state?atSeq=N` (or `?at=T`): agents, tasks and the topology come from the server's state at
 * that point, fed to a fresh Store as snapshot frames, so every view reads it exactly as it reads the live
 * store. What the state has no part for is taken from what the live page holds, cut at the point:
 * the message and memory streams, the activity feed and each agent's recent events (entries with a seq at
 * or below the point), and the metrics chart (ticks at or before the point's time).
 *
 * @param {object} state the server's answer
 * @param {{seq: number, timestamp: number}} point the point it represents
 * @param {Store} live the live store, read only
 */
export function storeAt(state, point, live) {
  const store = new Store();
  const t = point.timestamp;
  for (const agent of list(state.agents)) {
    if (!agent || !agent.id) continue;
    store.apply({ type: 'agent:status', snapshot: true, timestamp: agent.lastActivity || t, data: agent });
  }
  for (const task of list(state.tasks)) {
    if (!task || !task.id) continue;
    store.apply({ type: 'task:update', snapshot: true, timestamp: task.updatedAt || t, data: taskData(task) });
  }
  if (state.topology) {
    store.apply({ type: 'topology:change', snapshot: true, timestamp: t, data: state.topology });
  }

  const upTo = (item) => typeof item.seq === 'number' && item.seq <= point.seq;
  copyRing(live.messages, store.messages, upTo);
  copyRing(live.memory, store.memory, upTo);
  copyRing(live.activity, store.activity, upTo);
  for (const [agentId, ring] of live.agentEvents) {
    const copy = new Ring(ring.capacity);
    copyRing(ring, copy, upTo);
    if (copy.size) store.agentEvents.set(agentId, copy);
  }
  for (const m of store.messages.all()) store.noteMessageAgents(m);
  for (const op of store.memory.all()) if (op.namespace) store.namespaces.add(op.namespace);

  // The chart and the rate cards: the server's ticks up to the point (the page keeps five minutes of them).
  store.metricsHistory = live.metricsHistory.filter((p) => p.t <= t);
  const tick = store.metricsHistory[store.metricsHistory.length - 1];
  // The point's own metrics where the server computed them (docs/protocol.md 7.13), else the rates of the tick.
  store.metrics = state.metrics || (tick && t - tick.t <= 5000
    ? { messagesPerSecond: tick.messagesPerSecond, memoryOpsPerSecond: tick.memoryOpsPerSecond } : null);
  return store;
}

/** A task of the server's state in the field names of a task:update frame's data. */
function taskData(task) {
  return {
    ...task,
    startedAt: task.startedAt ?? task.startTime ?? undefined,
    completedAt: task.completedAt ?? task.endTime ?? undefined,
  };
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

/** Oldest first into `to`, so `to` reads newest first like the source. */
function copyRing(from, to, accept) {
  const items = from.all().filter(accept);
  for (let i = items.length - 1; i >= 0; i--) to.push(items[i]);
}
