/**
 * The one Playwright `test` both spec files use. Playwright keeps a worker only for tests whose fixture
 * set is the same as the tests it ran before; with one set (and one project) a worker that ran stream
 * scenarios goes on with contract units instead of being replaced by a new process that loads the
 * suite and the documents again (about 2.5 s of CPU per worker, measured).
 */
import { test as base } from "@playwright/test";
import { startEngine, type Engine } from "../contract/engine/index.ts";
import { stopwatch, type UnitTiming } from "../results/timing.ts";
import { loadRunEnvironment } from "./environment.ts";
import { appendLeftovers, targetDown } from "./shared.ts";

const env = await loadRunEnvironment();
const { settings } = env;

/** The time this worker spent preparing its contract fixtures, until a unit reports it. */
let setupTime: UnitTiming | undefined;

/** The worker's setup time, once: the first unit that reports after it carries it. */
export function takeSetupTime(): UnitTiming | undefined {
  const taken = setupTime;
  setupTime = undefined;
  return taken;
}

// The engine is a worker fixture, not a beforeAll hook: Playwright splits the tests of a file with all-hooks
// into one fixed, equal-count batch per worker, which left two workers idle while two others ran every
// operation that starts runs; without hooks each test is dispatched to whichever worker is free. Stream
// scenarios never ask for it, so a worker sets it up only when its first contract unit comes.
export const test = base.extend<{}, { engine: Engine | undefined }>({
  engine: [
    async ({}, use, workerInfo) => {
      let engine: Engine | undefined;
      if (!targetDown(settings.outDir)) {
        const watch = stopwatch();
        engine = await startEngine({ target: settings.target, specs: env.specs, oracle: env.oracle, seed: settings.seed, examples: settings.examples, tag: settings.tag, ...(settings.walks ? { walks: settings.walks } : {}), waived: env.waived });
        setupTime = watch(`contract fixtures of worker ${workerInfo.workerIndex}`, "contract");
      }
      await use(engine);
      // Everything this worker created, and nothing else, is deleted; what could not be is reported.
      const cleaned = await engine?.cleanup();
      if (cleaned) appendLeftovers(settings.outDir, cleaned.left);
    },
    { scope: "worker" },
  ],
});
