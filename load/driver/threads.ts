/**
 * Where each run's thread comes from: a new thread per run, or a fixed pool shared by runs. A thread runs one
 * run at a time, so with a pool a run waits (untimed, before its send) until a thread is free.
 */
import type { Dispatcher } from "undici";
import type { LoadScenario } from "./scenario.ts";

export type ThreadPolicy = "per-run" | { pool: number };

export interface ThreadSource {
  acquire(signal: AbortSignal): Promise<string>;
  release(threadId: string): void;
}

export async function threadSource(policy: ThreadPolicy, scenario: LoadScenario, dispatcher: Dispatcher): Promise<ThreadSource> {
  if (policy === "per-run") {
    return { acquire: (signal) => scenario.createThread(dispatcher, signal), release: () => undefined };
  }
  if (!Number.isInteger(policy.pool) || policy.pool < 1) throw new Error(`thread pool size must be a positive integer, got ${policy.pool}`);
  let ids: string[];
  try {
    ids = await Promise.all(Array.from({ length: policy.pool }, () => scenario.createThread(dispatcher)));
  } catch (error) {
    throw new Error(`could not create the thread pool: ${(error as Error).message}`);
  }
  const idle = [...ids];
  const waiting: ((id: string) => void)[] = [];
  return {
    acquire(signal) {
      const id = idle.shift();
      if (id !== undefined) return Promise.resolve(id);
      return new Promise((resolve, reject) => {
        const stopped = () => new Error("load stopped while waiting for a free thread");
        if (signal.aborted) return reject(stopped());
        const take = (tid: string) => {
          signal.removeEventListener("abort", onAbort);
          resolve(tid);
        };
        const onAbort = () => {
          const i = waiting.indexOf(take);
          if (i >= 0) waiting.splice(i, 1);
          reject(stopped());
        };
        signal.addEventListener("abort", onAbort, { once: true });
        waiting.push(take);
      });
    },
    release(id) {
      const next = waiting.shift();
      if (next) next(id);
      else idle.push(id);
    },
  };
}
