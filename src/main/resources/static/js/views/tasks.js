import { el, reconcile, setAttr, setText } from '../dom.js';
import { formatDuration, truncate } from '../format.js';
import { TASK_STATUSES } from '../store.js';
import { traceButton } from '../trace.js';

/** Finished columns show the newest this many; the board stays readable and cheap to draw. */
const FINISHED_SHOWN = 60;

/**
 * The kanban: a column per task status, each card with its progress bar, agent and duration (live for
 * running tasks), and the error of a failed one.
 */
export function createTasksView(store) {
  const board = document.getElementById('kanban');
  const count = document.getElementById('tasks-count');
  const columns = new Map();
  for (const status of TASK_STATUSES) {
    const list = el('div', { class: 'column-cards' });
    const counter = el('span', { class: 'column-count', dataset: { testid: `column-count-${status}` } }, '0');
    const column = el('section', { class: `kanban-column column-${status}`, dataset: { status, testid: `column-${status}` }, 'aria-label': `${status} tasks` },
      el('h2', null, el('span', { class: `status-dot status-${status}` }), status, ' ', counter),
      list);
    board.append(column);
    columns.set(status, { list, counter });
  }
  // A failed card's "Moment it failed" asks the timeline (timeline.js) to show the swarm as it was then.
  board.addEventListener('click', (event) => {
    const button = event.target.closest('.task-jump');
    if (!button) return;
    const card = button.closest('.task-card');
    board.dispatchEvent(new CustomEvent('timeline:jump-to-failure', { bubbles: true, detail: { taskId: card.dataset.taskId } }));
  });

  function createCard(task) {
    const card = el('article', { class: 'task-card', dataset: { taskId: task.id, testid: 'task-card' } },
      el('h3', { class: 'task-title' }),
      el('div', { class: 'task-meta' }),
      el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 },
        el('div', { class: 'progress-fill', dataset: { testid: 'progress-fill' } })),
      el('div', { class: 'task-foot' }, el('span', { class: 'task-agent' }), el('span', { class: 'task-duration' })),
      el('p', { class: 'task-error' }),
      el('div', { class: 'task-trace' }),
      el('button', { type: 'button', class: 'task-jump', dataset: { testid: 'jump-to-failure' }, title: 'Show the whole swarm as it was when this task failed' }, 'Moment it failed'));
    card._parts = {
      title: card.querySelector('.task-title'),
      meta: card.querySelector('.task-meta'),
      bar: card.querySelector('.progress'),
      fill: card.querySelector('.progress-fill'),
      agent: card.querySelector('.task-agent'),
      duration: card.querySelector('.task-duration'),
      error: card.querySelector('.task-error'),
      trace: card.querySelector('.task-trace'),
      jump: card.querySelector('.task-jump'),
    };
    return card;
  }

  function updateCard(card, task, now) {
    const p = card._parts;
    setAttr(card, 'class', `task-card status-${task.status}`);
    setAttr(card, 'data-status', task.status);
    setText(p.title, truncate(task.description || task.id, 120));
    setAttr(p.title, 'title', task.description || '');
    setText(p.meta, [task.id, task.type, task.priority].filter(Boolean).join(' · '));
    const progress = task.status === 'completed' ? 100 : Math.max(0, Math.min(100, Number(task.progress) || 0));
    p.fill.style.width = `${progress}%`;
    setAttr(p.fill, 'data-progress', progress);
    setAttr(p.bar, 'aria-valuenow', progress);
    setAttr(p.bar, 'aria-label', `${progress}% done`);
    setText(p.agent, task.assignedAgent ? `→ ${store.agentName(task.assignedAgent)}` : 'unassigned');
    setText(p.duration, duration(task, now));
    setText(p.error, task.status === 'failed' ? `Error: ${task.error || 'unknown'}` : '');
    p.error.hidden = task.status !== 'failed';
    if (p.trace.dataset.trace !== (task.traceId || '')) {
      p.trace.dataset.trace = task.traceId || '';
      p.trace.replaceChildren(...(task.traceId ? [el('span', { class: 'trace-id', title: 'trace of its newest update' }, task.traceId), ' ', traceButton(store, task.traceId)] : []));
    }
    p.trace.hidden = !task.traceId;
    p.jump.hidden = task.status !== 'failed';
  }

  return {
    render(now) {
      const byStatus = new Map(TASK_STATUSES.map((s) => [s, []]));
      for (const task of store.tasks.values()) {
        if (byStatus.has(task.status) && store.inTrace('task', task)) byStatus.get(task.status).push(task);
      }
      let open = 0;
      for (const [status, tasks] of byStatus) {
        const { list, counter } = columns.get(status);
        setText(counter, tasks.length);
        let shown;
        if (status === 'completed' || status === 'failed') {
          shown = tasks.sort((a, b) => (b.completedAt || b.updatedAt || 0) - (a.completedAt || a.updatedAt || 0)).slice(0, FINISHED_SHOWN);
        } else {
          open += tasks.length;
          shown = tasks.sort((a, b) => (a.createdAt || 0) - (b.createdAt || 0));
        }
        reconcile(list, shown, (t) => t.id, createCard, (card, task) => updateCard(card, task, now));
      }
      setText(count, open);
    },
  };
}

function duration(task, now) {
  const start = task.startedAt || null;
  if (!start) {
    // Only a task still to be picked up is waiting; one that failed before it started has no duration.
    const open = task.status === 'pending' || task.status === 'assigned';
    return open && task.createdAt ? `waiting ${formatDuration(now - task.createdAt)}` : '';
  }
  const end = task.completedAt || (task.status === 'running' || task.status === 'assigned' ? now : null);
  return end ? formatDuration(Math.max(0, end - start)) : '';
}
