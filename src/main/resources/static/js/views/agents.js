import { el, reconcile, setAttr, setText } from '../dom.js';
import { formatDuration, formatTime, truncate } from '../format.js';
import { traceButton } from '../trace.js';

/** Most tasks and events the side panel lists. */
const TASKS_SHOWN = 20;
const EVENTS_SHOWN = 40;

/**
 * The agent grid: one card per agent, coloured by status, and a side panel that slides in from the right
 * with the picked agent's tasks (newest first) and recent events. Cards are buttons, so they are reachable
 * and usable from the keyboard; the panel closes with its ✕ button, Escape, or the same card again, and
 * focus goes back to the card.
 */
export function createAgentsView(store) {
  const grid = document.getElementById('agent-grid');
  const detail = document.getElementById('agent-detail');
  const detailName = document.getElementById('agent-detail-name');
  const detailMeta = document.getElementById('agent-detail-meta');
  const detailTrace = document.getElementById('agent-detail-trace');
  const detailTasks = document.getElementById('agent-detail-tasks');
  const detailEvents = document.getElementById('agent-detail-events');
  const closeButton = document.getElementById('agent-detail-close');
  const count = document.getElementById('agents-count');
  let selected = null;

  function open(agentId) {
    selected = agentId;
    view.render(Date.now());
    closeButton.focus();
  }

  function close() {
    if (!selected) return;
    const card = grid.querySelector(`.agent-card[data-agent-id="${CSS.escape(selected)}"]`);
    selected = null;
    view.render(Date.now());
    if (card) card.focus();
  }

  grid.addEventListener('click', (event) => {
    const card = event.target.closest('.agent-card');
    if (!card) return;
    if (selected === card.dataset.agentId) close();
    else open(card.dataset.agentId);
  });
  closeButton.addEventListener('click', close);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected && !detail.hidden) close();
  });

  function createCard(agent) {
    const card = el('button', { type: 'button', class: 'agent-card', dataset: { agentId: agent.id, testid: 'agent-card' } },
      el('span', { class: 'agent-head' },
        el('span', { class: 'agent-name' }),
        el('span', { class: 'status-badge' })),
      el('span', { class: 'agent-type' }),
      el('span', { class: 'agent-task' }),
      el('span', { class: 'agent-stats' },
        el('span', { class: 'stat stat-cpu' }),
        el('span', { class: 'stat stat-memory' }),
        el('span', { class: 'stat stat-messages' })));
    card._parts = {
      name: card.querySelector('.agent-name'),
      status: card.querySelector('.status-badge'),
      type: card.querySelector('.agent-type'),
      task: card.querySelector('.agent-task'),
      cpu: card.querySelector('.stat-cpu'),
      memory: card.querySelector('.stat-memory'),
      messages: card.querySelector('.stat-messages'),
    };
    return card;
  }

  function updateCard(card, agent) {
    const p = card._parts;
    const status = agent.status || 'active';
    setAttr(card, 'class', `agent-card status-${status}${selected === agent.id ? ' selected' : ''}`);
    setAttr(card, 'data-status', status);
    setAttr(card, 'aria-pressed', selected === agent.id ? 'true' : 'false');
    setText(p.name, agent.name || agent.id);
    setAttr(p.name, 'title', agent.id);
    setText(p.status, status);
    setText(p.type, agent.type || 'agent');
    const task = agent.currentTask ? store.tasks.get(agent.currentTask) : null;
    setText(p.task, agent.currentTask ? `Task: ${truncate(task && task.description ? task.description : agent.currentTask, 60)}` : 'No current task');
    const metrics = agent.metrics || {};
    setText(p.cpu, `CPU ${Number.isFinite(metrics.cpu) ? metrics.cpu.toFixed(1) : '–'}%`);
    setText(p.memory, `Mem ${Number.isFinite(metrics.memory) ? Math.round(metrics.memory) : '–'} MB`);
    setText(p.messages, `Msgs ${Number.isFinite(metrics.messageCount) ? metrics.messageCount : 0}`);
  }

  function renderDetail(now) {
    const agent = selected ? store.agents.get(selected) : null;
    if (!agent) {
      selected = null;
      detail.hidden = true;
      delete detail.dataset.agentId;
      return;
    }
    if (detail.dataset.agentId !== agent.id) {
      // Another agent: start its lists afresh rather than morph the previous one's.
      detailTasks.replaceChildren();
      detailTasks._keyed = null;
      detailEvents.replaceChildren();
      detailEvents._keyed = null;
      detail.dataset.agentId = agent.id;
    }
    detail.hidden = false;
    setAttr(detail, 'class', `agent-detail status-${agent.status || 'active'}`);
    setText(detailName, agent.name || agent.id);
    setText(detailMeta, `${agent.id} · ${agent.type || 'agent'} · ${agent.status || 'active'}`);
    // The trace of the agent's newest event, if any (a card is a button, so its trace action lives here).
    if (detailTrace.dataset.trace !== (agent.traceId || '')) {
      detailTrace.dataset.trace = agent.traceId || '';
      detailTrace.replaceChildren(...(agent.traceId ? ['Trace ', agent.traceId, ' ', traceButton(store, agent.traceId)] : []));
    }
    detailTrace.hidden = !agent.traceId;

    fill(detailTasks, store.tasksOf(agent.id).slice(0, TASKS_SHOWN), 'No tasks given to this agent.', (t) => t.id,
      (t) => el('li', { class: 'agent-task-item', dataset: { taskId: t.id } },
        el('span', { class: 'status-dot' }), el('span', { class: 'agent-task-title' }), el('span', { class: 'agent-task-state' })),
      (item, t) => {
        setAttr(item, 'class', `agent-task-item status-${t.status}`);
        setText(item.children[1], truncate(t.description || t.id, 70));
        setAttr(item.children[1], 'title', `${t.id}: ${t.description || ''}`);
        const state = t.status === 'running' ? `running ${t.progress ?? 0}%`
          : t.status === 'failed' ? `failed: ${t.error || 'unknown'}`
          : t.status === 'completed' && t.startedAt && t.completedAt ? `completed in ${formatDuration(t.completedAt - t.startedAt)}`
          : t.status;
        setText(item.children[2], state);
      });

    const ring = store.agentEvents.get(agent.id);
    fill(detailEvents, ring ? ring.newest(EVENTS_SHOWN) : [], 'No events since this page opened.', (e) => e.key,
      (e) => el('li', { dataset: { type: e.type } }, el('time', null, formatTime(e.timestamp)), ' ', e.text,
        e.traceId ? ' ' : null, traceButton(store, e.traceId)));
  }

  /** Shows `items` in `list` by key, or one line saying there are none. */
  function fill(list, items, none, keyOf, create, update) {
    if (!items.length) {
      if (!list.querySelector('.empty')) list.replaceChildren(el('li', { class: 'empty' }, none));
      list._keyed = null;
      return;
    }
    if (!list._keyed) list.replaceChildren();
    reconcile(list, items, keyOf, create, update);
  }

  const view = {
    render(now) {
      const agents = [...store.agents.values()].filter((a) => store.inTrace('agent', a));
      setText(count, agents.filter((a) => a.status !== 'stopped').length);
      if (!agents.length && !grid.querySelector('.empty')) {
        grid.replaceChildren(el('p', { class: 'empty' }, store.trace ? 'No agents in this trace.' : 'No agents yet.'));
        grid._keyed = null;
      } else if (agents.length) {
        if (!grid._keyed) grid.replaceChildren();
        reconcile(grid, agents, (a) => a.id, createCard, updateCard);
      }
      renderDetail(now);
    },
  };
  return view;
}
