/**
 * A clock two processes on one Linux host can compare: process.hrtime.bigint() reads CLOCK_MONOTONIC, which
 * every process shares, while performance.now() counts from each process's own start. The synthetic source
 * stamps events with the first; a client converts the stamps onto its own performance.now() scale.
 */

/** Now, as decimal nanoseconds of CLOCK_MONOTONIC (a string: the value exceeds what JSON numbers keep exactly). */
export const monotonicStamp = (): string => process.hrtime.bigint().toString();

let offsetMs: number | undefined;

/** CLOCK_MONOTONIC − performance.now() in this process, in ms: the smallest of a few back-to-back readings. */
function offset(): number {
  if (offsetMs === undefined) {
    let best = Infinity;
    for (let i = 0; i < 50; i++) {
      const before = performance.now();
      const mono = Number(process.hrtime.bigint()) / 1e6;
      const after = performance.now();
      // The reading sits between before and after; keep the tightest bracket.
      if (after - before < best) {
        best = after - before;
        offsetMs = mono - (before + after) / 2;
      }
    }
  }
  return offsetMs!;
}

/** A stamp from any process on this host, on this process's performance.now() scale (ms). */
export function stampToPerformanceMs(stamp: string): number {
  return Number(BigInt(stamp)) / 1e6 - offset();
}
