import { el, svg } from './dom.js';
import { truncate } from './format.js';

/**
 * Lays out and draws the swarm graph as SVG: one `<g data-node-id>` (circle + label) per node and one
 * `<line data-health>` per edge.
 *
 * - hierarchical: a tree, the coordinator on top and each level below it in rows (wrapped when wide);
 * - mesh: every node on one circle, since there is no centre;
 * - adaptive: the coordinator in the middle and the workers around it grouped by type, so the links
 *   between same-type workers that adaptive adds are short chords next to each other.
 *
 * Labels cannot collide: a node's type is shown by an abbreviation unique within the graph (coordinator CRD,
 * coder COD, ...) with a key below the graph, names are cut to LABEL_CHARS with an ellipsis (the node's
 * tooltip has the whole name), rings are made big enough that neighbours are MIN_CHORD apart, and on a ring
 * each name sits outside its node, pointing away from the centre. A ring may be wider than the window; the
 * panel then scrolls sideways rather than squeeze it.
 */
const NODE_R = 18;
const MIN_GAP = 118;
const MIN_CHORD = 112;
const LABEL_CHARS = 14;
/** Room a cut label takes beside a node (14 characters of 12px text), for the ring's width. */
const LABEL_W = 104;
/** More links than this are drawn thin and faint, so a full mesh is not a solid green disc. */
const DENSE_EDGES = 24;
const ABBREVIATIONS = {
  coordinator: 'CRD', coder: 'COD', tester: 'TST', researcher: 'RES', reviewer: 'REV', architect: 'ARC',
  analyst: 'ANL', optimizer: 'OPT', documenter: 'DOC', monitor: 'MON', specialist: 'SPC', security: 'SEC',
  planner: 'PLN', queen: 'QN', worker: 'WRK',
};

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
  const w = Math.max(width, ringWidth(radius));
  const cx = w / 2;
  const cy = radius + 50;
  const positions = new Map();
  nodes.forEach((n, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
    positions.set(n.id, { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle), angle });
  });
  return { positions, height: cy + radius + 50, width: w };
}

function radialLayout(nodes, width) {
  const centre = hubs(nodes, []).filter((n) => n.type === 'coordinator');
  const ring = nodes.filter((n) => !centre.includes(n))
    .sort((a, b) => String(a.type).localeCompare(String(b.type)) || String(a.name).localeCompare(String(b.name)));
  if (!centre.length) return circleLayout(nodes, width);
  const radius = ringRadius(ring.length, width);
  const w = Math.max(width, ringWidth(radius));
  const cx = w / 2;
  const cy = radius + 50;
  const positions = new Map();
  centre.forEach((n, i) => positions.set(n.id, { x: cx + (i - (centre.length - 1) / 2) * 60, y: cy }));
  ring.forEach((n, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ring.length);
    positions.set(n.id, { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle), angle });
  });
  return { positions, height: cy + radius + 50, width: w };
}

/**
 * Big enough that neighbours on the ring are MIN_CHORD apart (their labels then cannot meet), at least 140
 * when the window has room, so a small swarm is not a huddle.
 */
function ringRadius(count, width) {
  const spaced = MIN_CHORD / (2 * Math.sin(Math.PI / Math.max(3, count)));
  const fits = width / 2 - NODE_R - 8 - LABEL_W;
  return Math.max(spaced, Math.min(140, Math.max(60, fits)));
}

/** The width a ring of this radius needs with a label outside each side. */
function ringWidth(radius) {
  return Math.ceil(2 * (radius + NODE_R + 8 + LABEL_W) + 16);
}

/**
 * Where a node's name goes: on a ring, outside the node, away from the centre (anchored so the text runs
 * outwards); in a tree, or for the centre of a ring, below it.
 */
function labelPlacement(p, r) {
  if (p.angle === undefined) return { x: 0, y: r + 16, anchor: 'middle' };
  const c = Math.cos(p.angle);
  const s = Math.sin(p.angle);
  const gap = r + 7;
  const anchor = c > 0.35 ? 'start' : c < -0.35 ? 'end' : 'middle';
  // Text hangs from its baseline: shift down by about half its height, more below the node, less above.
  const y = s * gap + (anchor === 'middle' ? (s > 0 ? 10 : -2) : 4);
  return { x: c * gap, y, anchor };
}

/**
 * A short code per node type, unique within the graph: the known ones from ABBREVIATIONS, others from
 * their letters; when two types would share one (a taken code), the next letters are tried, then a digit.
 */
export function typeAbbreviations(types) {
  const out = new Map();
  const taken = new Set();
  const sorted = [...new Set(types.map((t) => t || 'agent'))]
    .sort((a, b) => (ABBREVIATIONS[b] ? 1 : 0) - (ABBREVIATIONS[a] ? 1 : 0) || a.localeCompare(b));
  for (const type of sorted) {
    const letters = type.toUpperCase().replace(/[^A-Z0-9]/g, '') || 'X';
    const candidates = [];
    if (ABBREVIATIONS[type]) candidates.push(ABBREVIATIONS[type]);
    const consonants = letters[0] + letters.slice(1).replace(/[AEIOU]/g, '');
    candidates.push(consonants.slice(0, 3), letters.slice(0, 3));
    for (let i = 1; i < letters.length; i++) {
      for (let j = i + 1; j < letters.length; j++) candidates.push(letters[0] + letters[i] + letters[j]);
    }
    let code = candidates.find((c) => c.length >= 2 && !taken.has(c));
    for (let n = 2; !code; n++) if (!taken.has(letters.slice(0, 2) + n)) code = letters.slice(0, 2) + n;
    taken.add(code);
    out.set(type, code);
  }
  return out;
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
  const placed = layout(topology, width);
  const { positions, height } = placed;
  const graphWidth = placed.width || width;
  const dense = topology.edges.length > DENSE_EDGES;
  const codes = typeAbbreviations(topology.nodes.map((n) => n.type));
  const names = new Map(topology.nodes.map((n) => [n.id, n.name || n.id]));
  const graph = svg('svg', {
    class: `topology-svg topology-${topology.topology}${dense ? ' dense' : ''}`, width: graphWidth, height, viewBox: `0 0 ${graphWidth} ${height}`,
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
    }, svg('title', null, `${names.get(e.source)} — ${names.get(e.target)}: ${health}`)));
  }
  const nodeLayer = svg('g', { class: 'nodes' });
  for (const n of topology.nodes) {
    const p = positions.get(n.id);
    const status = statusOf(n.id) || n.status || 'active';
    const r = n.type === 'coordinator' ? NODE_R + 4 : NODE_R;
    const label = labelPlacement(p, r);
    nodeLayer.append(svg('g', {
      class: `node status-${status}`, transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`,
      dataset: { nodeId: n.id, status, type: n.type || 'agent' },
    },
    svg('title', null, `${n.name || n.id} (${n.type || 'agent'}): ${status}`),
    svg('circle', { r }),
    svg('text', { class: 'node-type', 'text-anchor': 'middle', y: 4 }, codes.get(n.type || 'agent')),
    svg('text', { class: 'node-label', 'text-anchor': label.anchor, x: label.x.toFixed(1), y: label.y.toFixed(1) },
      truncate(n.name || n.id, LABEL_CHARS))));
  }
  graph.append(edges, nodeLayer);
  const key = el('ul', { class: 'legend type-key', 'aria-label': 'Node types', dataset: { testid: 'type-key' } },
    ...[...codes].sort((a, b) => a[1].localeCompare(b[1]))
      .map(([type, code]) => el('li', { dataset: { type, code } }, el('strong', null, code), ` ${type}`)));
  container.replaceChildren(graph, key);
}
