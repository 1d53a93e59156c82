import { useEffect, useState } from 'react';

/**
 * The current time, read at every render, and a re-render every `everyMs`, so "2 minutes ago" stays
 * true while a page is open. Read at render rather than kept from the last tick: a time the server
 * has just written must never look like it is in the future.
 */
export function useNow(everyMs = 15_000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return Date.now();
}
