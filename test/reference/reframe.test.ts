/** The front's own re-framer reads what the upstream servers write, however the bytes are chunked. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { frame, Reframer } from "../../reference/reframe.ts";

const STREAM = 'event: metadata\r\ndata: {"run_id":"r"}\r\nid: 1-0\r\n\r\n: heartbeat\r\n\r\nevent: messages\ndata: [1,\ndata: 2]\n\nevent: end\ndata: null\n\n';
const EXPECTED = [
  { event: "metadata", data: '{"run_id":"r"}', id: "1-0" },
  { event: "messages", data: "[1,\n2]" },
  { event: "end", data: "null" },
];

test("every split of the bytes gives the same events, CRLF split between chunks included", () => {
  const bytes = Buffer.from(STREAM);
  for (let cut = 1; cut < bytes.length; cut++) {
    const r = new Reframer();
    const events = [...r.feed(bytes.subarray(0, cut)), ...r.feed(bytes.subarray(cut))];
    assert.deepEqual(events, EXPECTED, `cut at byte ${cut}`);
  }
});

test("framed events read back as themselves", () => {
  const r = new Reframer();
  assert.deepEqual(r.feed(Buffer.from(EXPECTED.map(frame).join(""))), EXPECTED);
});
