import type { RecordedRequest } from './types.js';

/** The last `capacity` requests, in a ring so that recording stays O(1) once full. */
export class RequestLog {
  private items: RecordedRequest[] = [];
  private next = 0;

  constructor(private readonly capacity = 100_000) {}

  push(request: RecordedRequest): void {
    if (this.items.length < this.capacity) {
      this.items.push(request);
      return;
    }
    this.items[this.next] = request;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first; copies, so callers cannot change the log. */
  list(): RecordedRequest[] {
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)].map((r) => ({ ...r }));
  }

  clear(): void {
    this.items = [];
    this.next = 0;
  }
}
