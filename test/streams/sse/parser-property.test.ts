import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "./parse.ts";

/** Streams made of the pieces that matter to the rules: fields, comments, every line ending, odd bytes. */
const piece = fc.oneof(
  fc.tuple(
    fc.constantFrom("data", "event", "id", "retry", "foo", "Data", ""),
    fc.constantFrom(":", ": ", ":  ", ""),
    fc.stringMatching(/^[a-z0-9 :é日😀\u0000\uFEFF]{0,6}$/),
    fc.constantFrom("\n", "\r\n", "\r"),
  ).map((parts) => Buffer.from(parts.join(""))),
  { arbitrary: fc.constantFrom("\n", "\r\n", "\r", ": c\n", "data: x\n\n", "\n\n").map((s) => Buffer.from(s)), weight: 2 },
  fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xef, 0xbb, 0xbf], [0xf0, 0x9f, 0x98]).map((b) => Buffer.from(b)),
);
const stream = fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 30 })).map(([bom, pieces]) => Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), ...pieces]));
const cuts = fc.array(fc.nat(), { maxLength: 12 });

test("cutting the same bytes anywhere gives the same events and the same issues", () => {
  fc.assert(
    fc.property(stream, cuts, (bytes, at) => {
      assert.deepEqual(parse(bytes, at.map((c) => c % (bytes.length + 1))), parse(bytes));
    }),
    { numRuns: 2000 },
  );
});

/** The WHATWG algorithm written plainly over the decoded text: the parser must deliver exactly this. */
function oracle(bytes: Uint8Array) {
  const lines = new TextDecoder().decode(bytes).split(/\r\n|\r|\n/);
  lines.pop(); // an unterminated last line is discarded at close
  const events: unknown[] = [];
  let data: string[] = [];
  let type = "";
  let lastId = "";
  for (const line of lines) {
    if (line === "") {
      if (data.length) events.push({ event: type || "message", data: data.join("\n"), lastEventId: lastId });
      [data, type] = [[], ""];
      continue;
    }
    if (line.startsWith(":")) continue;
    const c = line.indexOf(":");
    const name = c < 0 ? line : line.slice(0, c);
    let value = c < 0 ? "" : line.slice(c + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") data.push(value);
    else if (name === "event") type = value;
    else if (name === "id" && !value.includes("\0")) lastId = value;
  }
  return events;
}

test("delivery matches the plain WHATWG algorithm on the decoded stream", () => {
  fc.assert(
    fc.property(stream, cuts, (bytes, at) => {
      const got = parse(bytes, at.map((c) => c % (bytes.length + 1)), { validate: false }).events;
      assert.deepEqual(got.map((e) => ({ event: e.event, data: e.data, lastEventId: e.lastEventId })), oracle(bytes));
    }),
    { numRuns: 2000 },
  );
});
