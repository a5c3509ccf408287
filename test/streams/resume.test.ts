/** The resume check names the event to resume after by an id no other event carries. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nearestUniquelyNamed } from "../../streams/scenarios/lifecycle.ts";

const log = (...ids: (string | undefined)[]) => ids.map((id, i) => ({ id, n: i }));

test("unique ids: the event at the middle", () => {
  assert.equal(nearestUniquelyNamed(log("1", "2", "3", "4", "5"), 2)?.n, 2);
});

test("ids shared within one millisecond (the Python server's): the nearest event whose id is its own", () => {
  // 1000-0 is carried by events 1-3, so the middle (2) cannot be named; 4 and 0 are each 2 away, 0 sorts first.
  assert.equal(nearestUniquelyNamed(log("999-0", "1000-0", "1000-0", "1000-0", "1001-0", "1002-0"), 2)?.n, 0);
  assert.equal(nearestUniquelyNamed(log("1000-0", "1000-0", "1000-0", "1001-0", "1002-0"), 1)?.n, 3);
});

test("never the last event (nothing follows it) nor one without an id; none at all: undefined", () => {
  assert.equal(nearestUniquelyNamed(log("1", "1", "2"), 2), undefined);
  assert.equal(nearestUniquelyNamed(log(undefined, "1", "1"), 0), undefined);
});
