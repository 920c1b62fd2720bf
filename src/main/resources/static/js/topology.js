import { svg } from './dom.js';
import { truncate } from './format.js';

/**
 * Lays out and draws the swarm graph as SVG: one `<g data-node-id>` (circle + label) per node and one
 * `<line data-health>` per edge.
 *
 * - hierarchical: a tree, the coordinator on top and each level below it in rows (wrapped when wide);
 * - mesh: every node on one circle, since there is no centre;
 * - adaptive: the coordinator in the middle and the workers around it grouped by type, so the links
 *   between same-type workers that adaptive adds are short chords next to each other.
 */
const NODE_R = 18;
const MIN_GAP = 118;

export function layout(topology, width) {
  const nodes = topology.nodes;
  if (!nodes.length) return { positions: new Map(), height: 200 };
  switch (topology.topology) {
    case 'hierarchical':
      return treeLayout(nodes, topology.edges, width);
    case 'adaptive':
      return radialLayout(nodes, width);
    default:
      return circleLayout(nodes, width);
  }
}

function hubs(nodes, edges) {
  const coordinators = nodes.filter((n) => n.type === 'coordinator');
  if (coordinators.length) return coordinators;
  const degree = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) {
    degree.set(e.source, (degree.get(e.source) || 0) + 1);
    degree.set(e.target, (degree.get(e.target) || 0) + 1);
  }
  let best = nodes[0];
  for (const n of nodes) if (degree.get(n.id) > degree.get(best.id)) best = n;
  return [best];
}

function treeLayout(nodes, edges, width) {
  const neighbours = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (neighbours.has(e.source) && neighbours.has(e.target)) {
      neighbours.get(e.source).push(e.target);
      neighbours.get(e.target).push(e.source);
    }
  }
  const depth = new Map();
  const queue = hubs(nodes, edges).map((n) => n.id);
  queue.forEach((id) => depth.set(id, 0));
  while (queue.length) {
    const id = queue.shift();
    for (const next of neighbours.get(id)) {
      if (!depth.has(next)) {
        depth.set(next, depth.get(id) + 1);
        queue.push(next);
      }
    }
  }
  // Nodes not wired to the tree (yet) sit on a row of their own at the bottom.
  const maxDepth = Math.max(0, ...depth.values());
  const levels = [];
  for (const n of nodes) {
    const d = depth.has(n.id) ? depth.get(n.id) : maxDepth + 1;
    (levels[d] ||= []).push(n);
  }
  const perRow = Math.max(1, Math.floor((width - 40) / MIN_GAP));
  const positions = new Map();
  let y = 50;
  for (const level of levels) {
    if (!level) continue;
    for (let i = 0; i < level.length; i += perRow) {
      const row = level.slice(i, i + perRow);
      const step = width / row.length;
      row.forEach((n, j) => positions.set(n.id, { x: step * (j + 0.5), y }));
      y += 96;
    }
  }
  return { positions, height: y - 20 };
}

function circleLayout(nodes, width) {
  const radius = ringRadius(nodes.length, width);
  const cx = width / 2;
  const cy = radius + 50;
  const positions = new Map();
  nodes.forEach((n, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
    positions.set(n.id, { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) });
  });
  return { positions, height: cy + radius + 50 };
}

function radialLayout(nodes, width) {
  const centre = hubs(nodes, []).filter((n) => n.type === 'coordinator');
  const ring = nodes.filter((n) => !centre.includes(n))
    .sort((a, b) => String(a.type).localeCompare(String(b.type)) || String(a.name).localeCompare(String(b.name)));
  if (!centre.length) return circleLayout(nodes, width);
  const radius = ringRadius(ring.length, width);
  const cx = width / 2;
  const cy = radius + 50;
  const positions = new Map();
  centre.forEach((n, i) => positions.set(n.id, { x: cx + (i - (centre.length - 1) / 2) * 60, y: cy }));
  ring.forEach((n, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ring.length);
    positions.set(n.id, { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) });
  });
  return { positions, height: cy + radius + 50 };
}

/** Big enough that neighbours on the ring do not overlap their labels, small enough to fit the width. */
function ringRadius(count, width) {
  const fits = width / 2 - 70;
  const spaced = (count * 95) / (2 * Math.PI);
  return Math.max(60, Math.min(Math.max(fits, 80), Math.max(140, spaced)));
}

/**
 * Draws the graph into `container`. `statusOf(id)` gives an agent's current status when the page knows it,
 * which can be newer than the status the topology event carried.
 */
export function renderTopology(container, topology, statusOf) {
  const width = Math.max(320, container.clientWidth);
  if (!topology || !topology.nodes.length) {
    container.replaceChildren(svg('svg', { class: 'topology-svg empty', width, height: 120, viewBox: `0 0 ${width} 120`, role: 'img', 'aria-label': 'No swarm yet' },
      svg('text', { x: width / 2, y: 64, 'text-anchor': 'middle', class: 'empty-text' }, 'No swarm yet: POST /api/swarm/init or send topology:change')));
    return;
  }
  const { positions, height } = layout(topology, width);
  const graph = svg('svg', {
    class: `topology-svg topology-${topology.topology}`, width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'img', 'aria-label': `${topology.topology} topology with ${topology.nodes.length} nodes and ${topology.edges.length} links`,
    dataset: { testid: 'topology-svg', topology: topology.topology || '' },
  });
  const edges = svg('g', { class: 'edges' });
  for (const e of topology.edges) {
    const a = positions.get(e.source);
    const b = positions.get(e.target);
    if (!a || !b) continue;
    const health = e.health || 'healthy';
    edges.append(svg('line', {
      class: `edge health-${health}`, x1: a.x, y1: a.y, x2: b.x, y2: b.y,
      dataset: { health, source: e.source, target: e.target },
    }, svg('title', null, `${e.source} — ${e.target}: ${health}`)));
  }
  const nodeLayer = svg('g', { class: 'nodes' });
  for (const n of topology.nodes) {
    const p = positions.get(n.id);
    const status = statusOf(n.id) || n.status || 'active';
    nodeLayer.append(svg('g', {
      class: `node status-${status}`, transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`,
      dataset: { nodeId: n.id, status },
    },
    svg('title', null, `${n.name || n.id} (${n.type || 'agent'}): ${status}`),
    svg('circle', { r: n.type === 'coordinator' ? NODE_R + 4 : NODE_R }),
    svg('text', { class: 'node-type', 'text-anchor': 'middle', y: 4 }, abbreviation(n.type)),
    svg('text', { class: 'node-label', 'text-anchor': 'middle', y: NODE_R + 18 }, truncate(n.name || n.id, 16))));
  }
  graph.append(edges, nodeLayer);
  container.replaceChildren(graph);
}

function abbreviation(type) {
  if (!type) return '•';
  return type.slice(0, 2).toUpperCase();
}
