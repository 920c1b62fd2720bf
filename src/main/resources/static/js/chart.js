import { svg } from './dom.js';

/**
 * A small SVG line chart over a sliding time window. Rates (messages/s, memory ops/s) use the left axis
 * and counts (active agents) the right one, since they differ by orders of magnitude. A gap of more than
 * a few seconds between points (the page was disconnected) breaks the line rather than drawing a slope
 * through time nobody saw.
 */
const HEIGHT = 240;
const PAD = { left: 46, right: 40, top: 14, bottom: 26 };
const GAP_MS = 3500;
const TICKS = 4;

export function createLineChart(container, { series, windowMs }) {
  return {
    render(points, now) {
      const width = container.clientWidth;
      if (width < 50) return; // hidden: drawn when its view is shown
      const plotW = width - PAD.left - PAD.right;
      const plotH = HEIGHT - PAD.top - PAD.bottom;
      const start = now - windowMs;
      const visible = points.filter((p) => p.t >= start - 1000);
      const leftMax = niceMax(maxOf(visible, series.filter((s) => s.axis === 'left')));
      const rightMax = Math.max(TICKS, Math.ceil(maxOf(visible, series.filter((s) => s.axis === 'right')) / TICKS) * TICKS);
      const x = (t) => PAD.left + Math.max(0, Math.min(1, (t - start) / windowMs)) * plotW;
      const y = (v, axis) => PAD.top + plotH - (v / (axis === 'left' ? leftMax : rightMax)) * plotH;

      const chart = svg('svg', {
        class: 'line-chart', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img',
        'aria-label': describe(series, visible),
      });
      for (let i = 0; i <= TICKS; i++) {
        const gy = PAD.top + plotH - (i / TICKS) * plotH;
        chart.append(
          svg('line', { class: 'grid', x1: PAD.left, x2: PAD.left + plotW, y1: gy, y2: gy }),
          svg('text', { class: 'axis-label', x: PAD.left - 6, y: gy + 4, 'text-anchor': 'end' }, axisText((leftMax * i) / TICKS)),
          svg('text', { class: 'axis-label', x: PAD.left + plotW + 6, y: gy + 4 }, axisText((rightMax * i) / TICKS)),
        );
      }
      const minutes = Math.round(windowMs / 60000);
      for (let m = minutes; m >= 0; m--) {
        const gx = x(now - m * 60000);
        chart.append(
          svg('line', { class: 'grid grid-v', x1: gx, x2: gx, y1: PAD.top, y2: PAD.top + plotH }),
          svg('text', { class: 'axis-label', x: gx, y: HEIGHT - 8, 'text-anchor': 'middle' }, m === 0 ? 'now' : `−${m}m`),
        );
      }
      chart.append(
        svg('text', { class: 'axis-title', x: 4, y: 10 }, 'per second'),
        svg('text', { class: 'axis-title', x: width - 4, y: 10, 'text-anchor': 'end' }, 'agents'),
      );
      for (const s of series) {
        let d = '';
        let previous = null;
        for (const p of visible) {
          const command = previous && p.t - previous.t <= GAP_MS ? 'L' : 'M';
          d += `${command}${x(p.t).toFixed(1)},${y(p[s.key], s.axis).toFixed(1)}`;
          previous = p;
        }
        if (d) chart.append(svg('path', { class: `series series-${s.key}`, d, stroke: s.color, dataset: { series: s.key } }));
      }
      container.replaceChildren(chart);
    },
  };
}

function maxOf(points, series) {
  let max = 0;
  for (const p of points) for (const s of series) max = Math.max(max, p[s.key] || 0);
  return max;
}

/** 1, 2 or 5 times a power of ten: axis labels a person can read. */
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  const f = value / exp;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
}

function axisText(v) {
  if (v >= 1000) return `${Math.round(v / 100) / 10}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}

function describe(series, points) {
  const last = points[points.length - 1];
  if (!last) return 'No metrics yet';
  return `Last 5 minutes; now ${series.map((s) => `${s.label} ${last[s.key]}`).join(', ')}`;
}
