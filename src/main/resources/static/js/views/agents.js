import { el, reconcile, setAttr, setText } from '../dom.js';
import { formatTime, truncate } from '../format.js';

/**
 * The agent grid: one card per agent, coloured by status, and a side panel with the recent events of the
 * agent picked. Cards are buttons, so they are reachable and usable from the keyboard.
 */
export function createAgentsView(store) {
  const grid = document.getElementById('agent-grid');
  const detail = document.getElementById('agent-detail');
  const count = document.getElementById('agents-count');
  let selected = null;

  grid.addEventListener('click', (event) => {
    const card = event.target.closest('.agent-card');
    if (!card) return;
    selected = selected === card.dataset.agentId ? null : card.dataset.agentId;
    view.render(Date.now());
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

  function renderDetail() {
    const agent = selected ? store.agents.get(selected) : null;
    if (!agent) {
      selected = null;
      detail.replaceChildren(el('p', { class: 'empty' }, 'Select an agent to see its recent events.'));
      return;
    }
    const ring = store.agentEvents.get(agent.id);
    const events = ring ? ring.newest(40) : [];
    let list = detail.querySelector('ol.agent-events');
    if (!list || detail.dataset.agentId !== agent.id) {
      list = el('ol', { class: 'agent-events', dataset: { testid: 'agent-events' } });
      detail.replaceChildren(
        el('h2', null, agent.name || agent.id),
        el('p', { class: 'detail-meta' }, `${agent.id} · ${agent.type || 'agent'}`),
        list);
      detail.dataset.agentId = agent.id;
    }
    if (!events.length) {
      list.replaceChildren(el('li', { class: 'empty' }, 'No events since this page opened.'));
      list._keyed = null;
      return;
    }
    if (!list._keyed) list.replaceChildren();
    reconcile(list, events, (e) => e.key,
      (e) => el('li', { dataset: { type: e.type } }, el('time', null, formatTime(e.timestamp)), ' ', e.text));
  }

  const view = {
    render() {
      const agents = [...store.agents.values()];
      setText(count, agents.filter((a) => a.status !== 'stopped').length);
      if (!agents.length && !grid.querySelector('.empty')) {
        grid.replaceChildren(el('p', { class: 'empty' }, 'No agents yet.'));
        grid._keyed = null;
      } else if (agents.length) {
        if (!grid._keyed) grid.replaceChildren();
        reconcile(grid, agents, (a) => a.id, createCard, updateCard);
      }
      renderDetail();
    },
  };
  return view;
}
