/**
 * A capped stream (messages, memory operations, an agent's events): memory stays bounded however fast events
 * come. Items are appended at the end, which is cheap, and the oldest are cut off in chunks once the ring is
 * a sixteenth over capacity, so a busy stream neither shifts the array on every event nor grows without end.
 * Readers get the newest first.
 */
export class Ring {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = [];
    this.total = 0;
  }

  push(item) {
    this.items.push(item);
    this.total++;
    if (this.items.length > this.capacity + Math.max(16, this.capacity >> 4)) {
      this.items.splice(0, this.items.length - this.capacity);
    }
  }

  /** Adds behind everything held (an older item, from history), unless the ring is full. */
  pushOldest(item) {
    if (this.items.length >= this.capacity) return;
    this.items.unshift(item);
    this.total++;
  }

  /** Newest first, at most `limit`, optionally only those `accept` takes. */
  newest(limit, accept) {
    const out = [];
    const stop = Math.max(0, this.items.length - this.capacity);
    for (let i = this.items.length - 1; i >= stop && out.length < limit; i--) {
      if (!accept || accept(this.items[i])) out.push(this.items[i]);
    }
    return out;
  }

  /** Every item held, newest first. */
  all() {
    return this.newest(this.capacity);
  }

  get size() {
    return Math.min(this.items.length, this.capacity);
  }

  clear() {
    this.items = [];
    this.total = 0;
  }
}
