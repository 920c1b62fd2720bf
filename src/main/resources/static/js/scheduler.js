/**
 * Coalesces render requests into one per animation frame, however many events arrive in between.
 * A timer backs up requestAnimationFrame, which browsers pause for hidden tabs, so a dashboard in a
 * background tab still catches up (at the timer's slower pace) instead of piling up work.
 */
export function createScheduler(flush, fallbackMs = 250) {
  let pending = false;
  let frame = 0;
  let timer = 0;

  function run() {
    if (!pending) return;
    pending = false;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    flush();
  }

  return {
    request() {
      if (pending) return;
      pending = true;
      frame = requestAnimationFrame(run);
      timer = setTimeout(run, fallbackMs);
    },
  };
}
