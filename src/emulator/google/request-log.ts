import type { RecordedRequest } from './types.js';

/** The most recent `capacity` requests. Trimmed in batches, so that recording stays cheap once full. */
export class RequestLog {
  private items: RecordedRequest[] = [];

  constructor(private readonly capacity = 100_000) {}

  push(request: RecordedRequest): void {
    this.items.push(request);
    if (this.items.length > this.capacity + Math.ceil(this.capacity / 10)) this.items = this.items.slice(-this.capacity);
  }

  /** Oldest first; copies, so callers cannot change the log. */
  list(): RecordedRequest[] {
    return this.items.slice(-this.capacity).map((r) => ({ ...r }));
  }

  clear(): void {
    this.items = [];
  }
}
