/**
 * A capped, newest-first list for streams (messages, memory operations, an agent's events): memory stays
 * bounded however fast events come, and the views read the newest directly.
 */
export class Ring {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = [];
    this.total = 0;
  }

  /** Adds at the front; the oldest fall off the end in chunks, so a busy stream does not copy on every add. */
  push(item) {
    this.items.unshift(item);
    this.total++;
    if (this.items.length > this.capacity + Math.max(16, this.capacity >> 4)) {
      this.items.length = this.capacity;
    }
  }

  /** Adds behind everything held (an older item, from history), unless the ring is full. */
  pushOldest(item) {
    if (this.items.length >= this.capacity) return;
    this.items.push(item);
    this.total++;
  }

  /** Newest first, at most `limit`, optionally only those `accept` takes. */
  newest(limit, accept) {
    const out = [];
    const n = Math.min(this.items.length, this.capacity);
    for (let i = 0; i < n && out.length < limit; i++) {
      if (!accept || accept(this.items[i])) out.push(this.items[i]);
    }
    return out;
  }

  get size() {
    return Math.min(this.items.length, this.capacity);
  }

  clear() {
    this.items = [];
    this.total = 0;
  }
}
