import { getJson } from './api.js';

/** How often the list of swarms is fetched again, so a swarm started after the page opened shows up. */
const REFRESH_MS = 5000;

/**
 * The swarm picker (docs/dashboard.md): a server can hold several swarms, and the page shows one at a time. The
 * list comes from `GET /api/swarms`; the picker stays hidden while the server holds only the default swarm and the
 * page shows it, so a single-swarm setup looks as it always did. Choosing a swarm calls `onPick` with its id; the
 * page then starts over on that swarm (a fresh connection that subscribes with `swarm`, and an empty store).
 * The chosen swarm is kept in the address (`?swarm=`), so a reload or a shared link shows the same swarm.
 */
export function createSwarmPicker({ current, onPick }) {
  const box = document.getElementById('swarm-picker-box');
  const select = document.getElementById('swarm-picker');
  let shown = current;
  let known = [];

  function draw() {
    const ids = known.map((swarm) => swarm.id);
    if (!ids.includes(shown)) ids.push(shown); // a swarm named in the address that the list does not hold (yet)
    const same = select.options.length === ids.length && ids.every((id, i) => select.options[i].value === id);
    if (!same) {
      select.replaceChildren(...ids.map((id) => {
        const option = document.createElement('option');
        option.value = id;
        const entry = known.find((swarm) => swarm.id === id);
        option.textContent = entry ? `${id} (${entry.agents} agents)` : id;
        return option;
      }));
    } else {
      for (const option of select.options) {
        const entry = known.find((swarm) => swarm.id === option.value);
        if (entry) option.textContent = `${option.value} (${entry.agents} agents)`;
      }
    }
    select.value = shown;
    box.hidden = ids.length < 2 && shown === 'default';
    box.dataset.swarm = shown;
  }

  function refresh() {
    getJson('/api/swarms').then((answer) => {
      known = Array.isArray(answer.swarms) ? answer.swarms : [];
      draw();
    }).catch((e) => console.warn('swarm list unavailable:', e.message));
  }

  select.addEventListener('change', () => {
    if (select.value === shown) return;
    shown = select.value;
    const params = new URLSearchParams(location.search);
    if (shown === 'default') params.delete('swarm'); else params.set('swarm', shown);
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
    draw();
    onPick(shown);
  });

  draw();
  refresh();
  setInterval(refresh, REFRESH_MS);
  return { refresh };
}
