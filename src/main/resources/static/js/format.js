/** Text for numbers, times and sizes, kept in one place so every view reads the same. */

const pad = (n) => String(n).padStart(2, '0');

export function formatTime(ms) {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad(Math.floor(s % 60))}s`;
  return `${Math.floor(m / 60)}h ${pad(m % 60)}m`;
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Rates show one decimal below 10 and none above, so the cards do not jitter in width. */
export function formatRate(x) {
  if (!Number.isFinite(x)) return '–';
  return x < 10 ? x.toFixed(1) : String(Math.round(x));
}

export function formatLatency(ms) {
  if (!Number.isFinite(ms)) return '';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

export function truncate(text, max) {
  if (text == null) return '';
  const s = String(text);
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
