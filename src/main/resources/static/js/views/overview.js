import { createLineChart } from '../chart.js';
import { el, reconcile, setText } from '../dom.js';
import { formatRate, formatTime } from '../format.js';
import { LIMITS } from '../store.js';

/** The cards the issue asks for, the five-minute chart, agents by status and a feed of recent activity. */
const SERIES = [
  { key: 'messagesPerSecond', label: 'messages/s', color: '#3b82f6', axis: 'left' },
  { key: 'memoryOpsPerSecond', label: 'memory ops/s', color: '#a855f7', axis: 'left' },
  { key: 'activeAgents', label: 'active agents', color: '#22c55e', axis: 'right' },
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

  return {
    render(now) {
      const counts = store.counts();
      const m = store.metrics;
      // The server's numbers where it sends them (they count what this page may not have seen), else our own.
      const active = m && Number.isFinite(m.activeAgents) ? m.activeAgents : counts.activeAgents;
      setText(cards.agents, `${active} / ${counts.agents}`);
      setText(cards.pending, m && Number.isFinite(m.pendingTasks) ? m.pendingTasks : counts.tasks.pending);
      setText(cards.running, counts.tasks.running);
      setText(cards.messages, m ? formatRate(m.messagesPerSecond) : '–');
      setText(cards.memory, m ? formatRate(m.memoryOpsPerSecond) : '–');
      setText(cards.clients, m && Number.isFinite(m.connectedClients) ? m.connectedClients : '–');

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
