/**
 * One worker thread of a split load (split.ts): rebuilds its scenario from plain data, sets up (thread pool),
 * says it is ready, starts when told, and sends back its result (with its mergeable shard) and the id of
 * every thread it created.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runLocal } from "./local.ts";
import type { LoadOptions } from "./options.ts";
import { scenarioFromSpec, type ScenarioSpec } from "./scenario.ts";

export interface WorkerInput {
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
const input = workerData as WorkerInput;
let go!: () => void;
const started = new Promise<void>((resolve) => (go = resolve));
port.on("message", (m: { type?: string }) => m.type === "go" && go());

try {
  const options: LoadOptions = { ...input.options, scenario: scenarioFromSpec(input.spec), onThread: (id) => send({ type: "thread", id }) };
  const result = await runLocal(options, async () => {
    send({ type: "ready" });
    await started;
  });
  send({ type: "done", result });
} catch (error) {
  send({ type: "error", message: (error as Error).message });
}
