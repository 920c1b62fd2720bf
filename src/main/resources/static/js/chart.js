import { svg } from './dom.js';
import { formatTime } from './format.js';

/**
 * A small SVG line chart over a sliding time window. Rates (messages/s, memory ops/s) use the left axis
 * and counts (active agents) the right one, since they differ by orders of magnitude. A gap of more than
 * a few seconds between points (the page was disconnected) breaks the line rather than drawing a slope
 * through time nobody saw. Value ticks are round (steps of 1, 2 or 5 times a power of ten, both axes on
 * the same grid lines) and time ticks fall on whole minutes of the clock.
 */
const HEIGHT = 240;
const PAD = { left: 46, right: 40, top: 14, bottom: 26 };
const GAP_MS = 3500;
/** Most grid intervals on the value axes. */
const MAX_INTERVALS = 5;
const MINUTE_MS = 60000;

export function createLineChart(container, { series, windowMs }) {
  return {
    render(points, now) {
      const width = container.clientWidth;
      if (width < 50) return; // hidden: drawn when its view is shown
      const plotW = width - PAD.left - PAD.right;
      const plotH = HEIGHT - PAD.top - PAD.bottom;
      const start = now - windowMs;
      const visible = points.filter((p) => p.t >= start - 1000);
      const left = niceScale(maxOf(visible, series.filter((s) => s.axis === 'left')), MAX_INTERVALS);
      // The right axis counts agents: whole steps, on the left axis's grid lines.
      const rightStep = Math.max(1, niceStep(maxOf(visible, series.filter((s) => s.axis === 'right')) / left.intervals));
      const right = { step: rightStep, intervals: left.intervals, max: rightStep * left.intervals };
      const leftMax = left.max;
      const rightMax = right.max;
      const x = (t) => PAD.left + Math.max(0, Math.min(1, (t - start) / windowMs)) * plotW;
      const y = (v, axis) => PAD.top + plotH - (v / (axis === 'left' ? leftMax : rightMax)) * plotH;

      const chart = svg('svg', {
        class: 'line-chart', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img',
        'aria-label': describe(series, visible),
      });
      for (let i = 0; i <= left.intervals; i++) {
        const gy = PAD.top + plotH - (i / left.intervals) * plotH;
        chart.append(
          svg('line', { class: 'grid', x1: PAD.left, x2: PAD.left + plotW, y1: gy, y2: gy }),
          svg('text', { class: 'axis-label tick-left', x: PAD.left - 6, y: gy + 4, 'text-anchor': 'end' }, axisText(left.step * i, left.step)),
          svg('text', { class: 'axis-label tick-right', x: PAD.left + plotW + 6, y: gy + 4 }, axisText(right.step * i, right.step)),
        );
      }
      // Whole minutes of the clock, so the labels read 14:03, 14:04 and slide left as time passes.
      let lastLabelX = -Infinity;
      for (let t = Math.ceil(start / MINUTE_MS) * MINUTE_MS; t <= now; t += MINUTE_MS) {
        const gx = x(t);
        chart.append(svg('line', { class: 'grid grid-v', x1: gx, x2: gx, y1: PAD.top, y2: PAD.top + plotH }));
        if (gx - PAD.left > 18 && PAD.left + plotW - gx > 40) {
          chart.append(svg('text', { class: 'axis-label tick-time', x: gx, y: HEIGHT - 8, 'text-anchor': 'middle' }, formatTime(t).slice(0, 5)));
          lastLabelX = gx;
        }
      }
      if (PAD.left + plotW - lastLabelX > 40) {
        chart.append(svg('text', { class: 'axis-label tick-time', x: PAD.left + plotW, y: HEIGHT - 8, 'text-anchor': 'end' }, 'now'));
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

/** The least of 1, 2 or 5 times a power of ten that is at least `value`: a step a person can read. */
export function niceStep(value) {
  if (!(value > 0)) return 0;
  const exp = 10 ** Math.floor(Math.log10(value));
  const f = value / exp;
  return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * exp;
}

/** A round step and how many of them cover `max` in at most `maxIntervals` (0 shows as 0 … 1). */
export function niceScale(max, maxIntervals) {
  const top = max > 0 ? max : 1;
  const step = niceStep(top / maxIntervals);
  const intervals = Math.max(1, Math.ceil(top / step - 1e-9));
  return { step, intervals, max: step * intervals };
}

/** A tick's text, with as many decimals as its step needs (0.2 → 1, 0.05 → 2) and none for whole steps. */
function axisText(v, step) {
  if (v >= 1000 && step >= 100) return `${Math.round(v / 100) / 10}k`;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals);
}

function describe(series, points) {
  const last = points[points.length - 1];
  if (!last) return 'No metrics yet';
  return `Last 5 minutes; now ${series.map((s) => `${s.label} ${last[s.key]}`).join(', ')}`;
}
