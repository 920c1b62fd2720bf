import { setText } from '../dom.js';
import { renderTopology } from '../topology.js';

/** The topology view: redrawn when the topology or an agent's status changes, or the window is resized. */
export function createTopologyView(store) {
  const container = document.getElementById('topology-graph');
  const kind = document.getElementById('topology-kind');
  let lastWidth = 0;
  const view = {
    render() {
      const t = store.topology;
      setText(kind, t ? `${t.topology} · ${t.nodes.length} nodes · ${t.edges.length} links` : '');
      renderTopology(container, t, (id) => {
        const agent = store.agents.get(id);
        return agent ? agent.status : null;
      });
      lastWidth = container.clientWidth;
    },
    resized() {
      return container.clientWidth !== lastWidth;
    },
  };
  return view;
}
