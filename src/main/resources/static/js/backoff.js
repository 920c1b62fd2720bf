/**
 * Reconnect delays: 1 s doubling to 30 s, each spread by ±20 % so that many dashboards dropped by the
 * same server restart do not all knock at the same instant.
 */
export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 30000;
export const JITTER = 0.2;

/** The wait before reconnect attempt number `attempt` (1 for the first retry). */
export function backoffDelay(attempt, random = Math.random) {
  const nominal = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal * (1 - JITTER + 2 * JITTER * random()));
}
