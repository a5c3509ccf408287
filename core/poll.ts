/** Waiting, the one way: a sleep that an abort ends early, and polling until a value is what is wanted. */

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Repeats `read` until `done` accepts its value, the time is up or `signal` aborts; returns every value seen.
 * The pause starts at `everyMs` and, with `maxEveryMs`, doubles up to it: quick when the wait is short, few
 * requests when it is long.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, o: { timeoutMs?: number; everyMs?: number; maxEveryMs?: number; signal?: AbortSignal } = {}): Promise<T[]> {
  const seen: T[] = [];
  const deadline = performance.now() + (o.timeoutMs ?? 20_000);
  let pause = o.everyMs ?? 50;
  for (;;) {
    const v = await read();
    seen.push(v);
    if (done(v) || performance.now() > deadline || o.signal?.aborted) return seen;
    await sleep(pause, o.signal);
    pause = Math.min(pause * 2, Math.max(pause, o.maxEveryMs ?? pause));
  }
}
