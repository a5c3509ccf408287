/**
 * One real Agent Server per test file, a healthy reference in front of it, and a reference with a given
 * fault on demand (fronts start in milliseconds; the Agent Server takes seconds).
 */
import { after, before } from "node:test";
import { startReference, type Reference } from "../../reference/index.ts";
import { startUpstream, type Upstream } from "../../reference/upstream/launch.ts";

export function sharedReference() {
  let upstream: Upstream | undefined;
  let healthy: Reference | undefined;
  before(async () => {
    upstream = await startUpstream({ workers: 20 });
    healthy = await startReference({ upstream });
  });
  after(async () => {
    await healthy?.stop();
    await upstream?.stop();
  });
  return {
    get healthy(): Reference {
      return healthy!;
    },
    /** Runs `body` with a reference that has `fault`, and stops it afterwards. */
    async withFault<T>(fault: string, body: (faulty: Reference) => Promise<T>): Promise<T> {
      const faulty = await startReference({ upstream, faults: [fault] });
      try {
        return await body(faulty);
      } finally {
        await faulty.stop();
      }
    },
  };
}
