/**
 * How long this process has spent waiting on the target: wall time during which at least one request or
 * stream of the suite was open. A unit's share of it, against the unit's own time, tells whether a slow
 * run is the target's doing or the suite's.
 */
let open = 0;
let since = 0;
let total = 0;

/** Marks a request or stream open; call the returned function once when it is over. */
export function waitOnTarget(): () => void {
  if (open++ === 0) since = performance.now();
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    if (--open === 0) total += performance.now() - since;
  };
}

/** Milliseconds spent waiting on the target so far. */
export const targetWaitMs = (): number => total + (open > 0 ? performance.now() - since : 0);
