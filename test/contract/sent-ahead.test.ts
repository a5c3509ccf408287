/** A property run's first inputs are sent ahead, a few at a time, and read back in the order fast-check asks. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sentAhead } from "../../contract/engine/families.ts";
import { IN_FLIGHT } from "../../contract/engine/context.ts";
import type { Attempt } from "../../contract/engine/prepare.ts";

const answer = (n: number) => ({ req: { method: "GET", url: `/${n}`, headers: {} }, x: {}, violations: [] }) as unknown as Attempt;

test("at most IN_FLIGHT at once; answers by value, equal values in order; drain sends nothing more", async () => {
  let inFlight = 0;
  let most = 0;
  const started: number[] = [];
  const act = async (v: { n: number }) => {
    started.push(v.n);
    const mine = started.length;
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return answer(mine);
  };
  const values = Array.from({ length: 12 }, (_, i) => ({ n: i < 2 ? 0 : i }));
  const ahead = sentAhead(values, act);
  const first = await ahead.take({ n: 0 })!;
  const second = await ahead.take({ n: 0 })!;
  assert.notEqual(first.req.url, second.req.url, "two equal values get their own answers");
  assert.equal(ahead.take({ n: 99 }), undefined, "a value not sent ahead (a shrink candidate) is the caller's to send");
  await ahead.take({ n: 2 });
  await ahead.drain();
  const sent = started.length;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(started.length, sent, "nothing is started after drain");
  assert.ok(sent < values.length, `drain stopped the rest (${sent} of ${values.length} sent)`);
  assert.ok(most <= IN_FLIGHT && most > 1, `${most} in flight at most`);
});
