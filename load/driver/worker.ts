/**
 * A driver worker thread (split.ts): kept between loads so its code stays compiled and warm. For each load
 * it rebuilds the scenario from plain data, sets up (thread pool), says it is ready, starts when told, and
 * sends back its result (with its mergeable shard) and the id of every thread it created.
 */
import { parentPort } from "node:worker_threads";
import { runLocal } from "./local.ts";
import type { CollectorShard } from "../metrics/collector.ts";
import type { LoadOptions } from "./options.ts";
import { scenarioFromSpec, type ScenarioSpec } from "./scenario.ts";

export interface WorkerLoad {
  type: "load";
  options: Omit<LoadOptions, "scenario" | "observe" | "onThread" | "workers" | "stop" | "onProgress">;
  spec: ScenarioSpec;
  /** Send `progress` shards as runs finish (the caller watches the merged figures). */
  progress: boolean;
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "thread"; id: string }
  | { type: "progress"; shard: CollectorShard }
  | { type: "done"; result: Awaited<ReturnType<typeof runLocal>> }
  | { type: "error"; message: string };

const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
let go: (() => void) | undefined;
let stop = new AbortController();

async function run(load: WorkerLoad): Promise<void> {
  const started = new Promise<void>((resolve) => (go = resolve));
  try {
    stop = new AbortController();
    const options: LoadOptions = {
      ...load.options,
      scenario: scenarioFromSpec(load.spec),
      onThread: (id) => send({ type: "thread", id }),
      stop: stop.signal,
      ...(load.progress ? { onProgress: (sofar) => send({ type: "progress", shard: sofar.encode() }) } : {}),
    };
    const result = await runLocal(options, async () => {
      send({ type: "ready" });
      await started;
    });
    send({ type: "done", result });
  } catch (error) {
    send({ type: "error", message: (error as Error).message });
  }
}

port.on("message", (m: WorkerLoad | { type: "go" } | { type: "stop" }) => {
  if (m.type === "go") go?.();
  else if (m.type === "stop") stop.abort();
  else void run(m);
});
