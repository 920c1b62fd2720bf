import { createLineChart } from '../chart.js';
import { el, reconcile, setAttr, setText } from '../dom.js';
import { formatRate, formatTime, truncate } from '../format.js';
import { LIMITS } from '../store.js';

/**
 * The cards, the five-minute chart, agents by status, a feed of recent activity and the failures (failed
 * tasks and agents in error, newest first). "Working" agents are those active or busy, the server's
 * `activeAgents`; the word differs from the statuses on purpose, so "active" means one thing on the page.
 */
const SERIES = [
  { key: 'messagesPerSecond', label: 'messages/s', color: '#3b82f6', axis: 'left' },
  { key: 'memoryOpsPerSecond', label: 'memory ops/s', color: '#a855f7', axis: 'left' },
  { key: 'activeAgents', label: 'working agents', color: '#22c55e', axis: 'right' },
];
const AGENT_STATUSES = ['active', 'busy', 'idle', 'spawning', 'error', 'stopped'];
const FEED_SHOWN = 12;

export function createOverviewView(store) {
  const value = (id) => document.getElementById(id);
  const cards = {
    agents: value('metric-agents-value'),
    pending: value('metric-pending-value'),
    running: value('metric-running-value'),
    messages: value('metric-messages-value'),
    memory: value('metric-memory-value'),
    clients: value('metric-clients-value'),
  };
  const chartBox = value('metrics-chart');
  const feed = value('activity-feed');
  const bars = value('status-bars');
  const failures = value('failures-list');
  const failureCount = value('failures-count');
  // Styles are set through the CSSOM, never as a style attribute: the page's CSP (style-src 'self') refuses those.
  value('chart-legend').replaceChildren(...SERIES.map((s) => {
    const swatch = el('span', { class: 'swatch line' });
    swatch.style.background = s.color;
    return el('li', null, swatch, s.label);
  }));
  const chart = createLineChart(chartBox, { series: SERIES, windowMs: LIMITS.metricsWindowMs });
  const barRows = new Map(AGENT_STATUSES.map((status) => {
    const fill = el('span', { class: `bar-fill status-${status}` });
    const number = el('span', { class: 'bar-count' }, '0');
    const row = el('li', { class: `status-${status}`, dataset: { status } },
      el('span', { class: 'bar-label' }, status), el('span', { class: 'bar' }, fill), number);
    bars.append(row);
    return [status, { fill, number }];
  }));
  // The chart is the costly part: redraw it when a tick arrives, a second passes or the size changes, not per event.
  let chartKey = '';

  function renderFailures() {
    const list = store.failures();
    setText(failureCount, list.length || '');
    if (!list.length) {
      if (!failures.querySelector('.empty')) failures.replaceChildren(el('li', { class: 'empty' }, 'No failed tasks, no agents in error.'));
      failures._keyed = null;
      return;
    }
    if (!failures._keyed) failures.replaceChildren();
    reconcile(failures, list, (f) => `${f.kind}:${f.id}`, createFailure, updateFailure);
  }

  function createFailure(f) {
    const item = el('li', { class: `failure failure-${f.kind}`, dataset: { testid: 'failure', kind: f.kind, id: f.id } },
      el('time'), el('span', { class: 'failure-kind' }, f.kind === 'task' ? 'task failed' : 'agent error'),
      el('span', { class: 'failure-what' }), el('span', { class: 'failure-why' }));
    item._parts = { time: item.children[0], what: item.children[2], why: item.children[3] };
    return item;
  }

  function updateFailure(item, f) {
    const p = item._parts;
    setText(p.time, formatTime(f.at));
    if (f.kind === 'task') {
      const t = f.task;
      const what = t.description || t.id;
      setText(p.what, truncate(what, 80));
      setAttr(p.what, 'title', `${t.id}: ${what}`);
      setText(p.why, `${t.error || 'no error given'}${t.assignedAgent ? ` · ${store.agentName(t.assignedAgent)}` : ''}`);
    } else {
      const a = f.agent;
      setText(p.what, a.name || a.id);
      setAttr(p.what, 'title', a.id);
      setText(p.why, `${a.type || 'agent'}${a.currentTask ? ` · task ${a.currentTask}` : ''}`);
    }
  }

  return {
    render(now) {
      const counts = store.counts();
      const m = store.metrics;
      // The server's numbers where it sends them (they count what this page may not have seen), else our own.
      const active = m && Number.isFinite(m.activeAgents) ? m.activeAgents : counts.activeAgents;
      setText(cards.agents, `${active} / ${counts.agents}`);
      setText(cards.pending, m && Number.isFinite(m.pendingTasks) ? m.pendingTasks : counts.tasks.pending);
      setText(cards.running, counts.tasks.running);
      // Smoothed: a rate over one second jumps between 0 and a few when messages come in bursts.
      const messages = store.smoothedRate('messagesPerSecond');
      const memory = store.smoothedRate('memoryOpsPerSecond');
      setText(cards.messages, messages === null ? '–' : formatRate(messages));
      setText(cards.memory, memory === null ? '–' : formatRate(memory));
      // While disconnected this page is nobody's client: the server's last count would be a lie.
      setText(cards.clients, store.live && m && Number.isFinite(m.connectedClients) ? m.connectedClients : '–');

      const history = store.metricsHistory;
      const key = `${history.length ? history[history.length - 1].t : 0}/${Math.floor(now / 1000)}/${chartBox.clientWidth}`;
      if (key !== chartKey) {
        chartKey = key;
        chart.render(history, now);
      }

      const byStatus = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0]));
      for (const agent of store.agents.values()) if (agent.status in byStatus) byStatus[agent.status]++;
      const most = Math.max(1, ...Object.values(byStatus));
      for (const [status, { fill, number }] of barRows) {
        setText(number, byStatus[status]);
        fill.style.width = `${(100 * byStatus[status]) / most}%`;
      }

      renderFailures(now);

      const recent = store.activity.newest(FEED_SHOWN);
      if (!recent.length) {
        if (!feed.querySelector('.empty')) feed.replaceChildren(el('li', { class: 'empty' }, 'Waiting for events…'));
        feed._keyed = null;
        return;
      }
      if (!feed._keyed) feed.replaceChildren();
      reconcile(feed, recent, (e) => e.key, (e) => el('li', { dataset: { type: e.type } },
        el('time', null, formatTime(e.timestamp)), el('span', { class: `feed-kind kind-${e.type.split(':')[0]}` }), el('span', { class: 'feed-text', title: e.text }, e.text)));
    },
  };
}
