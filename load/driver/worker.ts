/**
 * A driver worker thread (split.ts): kept between loads so its code stays compiled and warm. For each load
 * it rebuilds the scenario from plain data, sets up (thread pool), says it is ready, starts when told, and
 * sends back its result (with its mergeable shard) and the id of every thread it created.
 */
import { parentPort } from "node:worker_threads";
import { runLocal } from "./local.ts";
import type { LoadOptions } from "./options.ts";
import { scenarioFromSpec, type ScenarioSpec } from "./scenario.ts";

export interface WorkerLoad {
  type: "load";
  options: Omit<LoadOptions, "scenario" | "observe" | "onThread" | "workers">;
  spec: ScenarioSpec;
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "thread"; id: string }
  | { type: "done"; result: Awaited<ReturnType<typeof runLocal>> }
  | { type: "error"; message: string };

const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
let go: (() => void) | undefined;

async function run(load: WorkerLoad): Promise<void> {
  const started = new Promise<void>((resolve) => (go = resolve));
  try {
    const options: LoadOptions = { ...load.options, scenario: scenarioFromSpec(load.spec), onThread: (id) => send({ type: "thread", id }) };
    const result = await runLocal(options, async () => {
      send({ type: "ready" });
      await started;
    });
    send({ type: "done", result });
  } catch (error) {
    send({ type: "error", message: (error as Error).message });
  }
}

port.on("message", (m: WorkerLoad | { type: "go" }) => {
  if (m.type === "go") go?.();
  else void run(m);
});
