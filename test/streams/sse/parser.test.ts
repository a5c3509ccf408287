import { test } from "node:test";
import assert from "node:assert/strict";
import { FRAMING_RULES, SseParser } from "../../../streams/sse/parser.ts";
import { bytes, datas, everySplit, parse, rules } from "./parse.ts";

/** Same events, issues and partial flag however the bytes are cut. */
function sameEverySplit(input: string | Uint8Array) {
  const whole = parse(input);
  for (const cuts of everySplit(input)) assert.deepEqual(parse(input, cuts), whole, `cut at ${cuts.join(",")}`);
  return whole;
}

test("LF, CRLF and CR line endings give the same events", () => {
  const text = "event: a\ndata: 1\ndata: 2\nid: 7\n\ndata: 3\n\n";
  const lf = sameEverySplit(text);
  for (const nl of ["\r\n", "\r"]) {
    const other = sameEverySplit(text.replaceAll("\n", nl));
    assert.deepEqual(other.events.map(({ offset, ...e }) => e), lf.events.map(({ offset, ...e }) => e));
    assert.deepEqual(other.issues, []);
  }
  assert.deepEqual(
    lf.events.map((e) => [e.event, e.data, e.id, e.lastEventId]),
    [["a", "1\n2", "7", "7"], ["message", "3", undefined, "7"]],
  );
});

test("a CR ending one chunk and an LF starting the next are one line ending", () => {
  const p = parse("data: a\r\ndata: b\r\n\r\n", [8, 17]);
  assert.deepEqual(datas(p), ["a\nb"]);
  assert.deepEqual(p.issues, []);
  const cc = parse("data: a\r\r", [8]);
  assert.deepEqual(datas(cc), ["a"], "CR then CR is a line ending and a blank line");
});

test("an event is dispatched at the CR that ends it, before any LF arrives", () => {
  const parser = new SseParser({ validate: true });
  assert.deepEqual(parser.feed(Buffer.from("data: x\r\n\r"), 5).map((e) => [e.data, e.receivedAt]), [["x", 5]]);
  assert.deepEqual(parser.feed(Buffer.from("\n"), 6), []);
  assert.equal(parser.finish(), false);
  assert.deepEqual(parser.issues, []);
});

test("a leading BOM is skipped once, even split across chunks; a later one is reported", () => {
  const p = sameEverySplit("\uFEFFdata: a\n\n");
  assert.deepEqual(datas(p), ["a"]);
  assert.equal(p.events[0]!.offset, 3);
  assert.deepEqual(p.issues, []);
  const twice = sameEverySplit("\uFEFF\uFEFFdata: a\n\n");
  assert.deepEqual(twice.events, [], "the second BOM becomes part of the field name");
  assert.deepEqual(twice.issues.map((i) => [i.rule, i.offset]), [["bom-not-at-start", 3], ["unknown-field", 3]]);
  const mid = parse("data: a\uFEFFb\n\n");
  assert.deepEqual(datas(mid), ["a\uFEFFb"]);
  assert.deepEqual(mid.issues.map((i) => [i.rule, i.offset]), [["bom-not-at-start", 7]]);
});

test("comments are ignored and never dispatch", () => {
  const p = sameEverySplit(": hello\n\ndata: x\n: between\ndata: y\n\n:\n\n");
  assert.deepEqual(datas(p), ["x\ny"]);
  assert.equal(p.events[0]!.offset, 9);
  assert.deepEqual(p.issues, []);
});

test("one optional space after the colon; multi-line data joined with LF", () => {
  const p = sameEverySplit("data:a\ndata:\ndata:  b\ndata: \n\n");
  assert.deepEqual(datas(p), ["a\n\n b\n"]);
  assert.deepEqual(p.issues, []);
});

test("event defaults to message, also when empty", () => {
  const p = parse("event:\ndata: x\n\nevent: custom|ns:1\ndata: y\n\n");
  assert.deepEqual(p.events.map((e) => e.event), ["message", "custom|ns:1"]);
});

test("ids persist across events; an empty id resets; an id with NUL is ignored", () => {
  const input = "id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid:\ndata: d\n\n";
  const p = sameEverySplit(input);
  assert.deepEqual(
    p.events.map((e) => [e.data, e.id, e.lastEventId]),
    [["a", "1", "1"], ["b", undefined, "1"], ["c", undefined, "1"], ["d", "", ""]],
  );
  assert.deepEqual(p.issues.map((i) => [i.rule, i.offset, i.eventIndex]), [["id-contains-nul", input.indexOf("id: 2"), 2]]);
});

test("a line without a colon is a field with an empty value", () => {
  const p = parse("data\ndata\n\nid\ndata: x\n\ngarbage\ndata: y\n\n");
  assert.deepEqual(datas(p), ["\n", "x", "y"]);
  assert.equal(p.events[1]!.lastEventId, "");
  assert.deepEqual(rules(p), ["line-without-colon", "line-without-colon", "line-without-colon", "line-without-colon"]);
  assert.match(p.issues[3]!.message, /unknown field/);
});

test("retry: only ASCII digits count", () => {
  const p = sameEverySplit("retry: 3000\ndata: a\n\nretry: 3s\ndata: b\n\nretry:\ndata: c\n\nretry: -1\ndata: d\n\n");
  assert.deepEqual(p.events.map((e) => e.retry), [3000, undefined, undefined, undefined]);
  assert.deepEqual(rules(p), ["invalid-retry", "invalid-retry", "invalid-retry"]);
});

test("a block without data is not dispatched; empty data is", () => {
  const input = "event: x\n\ndata:\n\nid: 4\n\nretry: 10\n\n";
  const p = sameEverySplit(input);
  assert.deepEqual(p.events.map((e) => [e.event, e.data, e.lastEventId]), [["message", "", ""]]);
  assert.deepEqual(p.issues.map((i) => [i.rule, i.offset, i.eventIndex]), [["event-without-data", 0, 0], ["event-without-data", input.indexOf("id"), 1]]);
  const last = new SseParser();
  last.feed(Buffer.from("id: 9\n\n"), 0);
  assert.equal(last.lastEventId, "9", "an id-only block still sets the last event id");
});

test("unknown fields are ignored and reported, with a hint on case", () => {
  const p = sameEverySplit("foo: bar\nData: x\ndata: a\n\n");
  assert.deepEqual(datas(p), ["a"]);
  assert.deepEqual(rules(p), ["unknown-field", "unknown-field"]);
  assert.match(p.issues[1]!.message, /case-sensitive/);
});

test("repeated single-valued fields are reported; the last one counts", () => {
  const p = parse("event: a\nevent: b\nid: 1\nid: 2\ndata: x\n\n");
  assert.deepEqual(p.events.map((e) => [e.event, e.id]), [["b", "2"]]);
  assert.deepEqual(p.issues.map((i) => [i.rule, i.offset]), [["repeated-field", 9], ["repeated-field", 24]]);
});

test("bytes after the last blank line at close are a partial event, dropped", () => {
  const p = sameEverySplit("data: a\n\ndata: b");
  assert.deepEqual(datas(p), ["a"]);
  assert.equal(p.partial, true);
  assert.deepEqual(p.issues.map((i) => [i.rule, i.offset, i.eventIndex]), [["partial-event", 9, 1]]);
  assert.equal(parse("data: a\n\ndata: b\n").partial, true);
  assert.equal(parse(": tail\n").partial, true);
  assert.equal(parse("data: a\n\n\n").partial, false);
  assert.equal(parse("data: a\r\n\r").partial, false);
  assert.equal(parse("").partial, false);
  assert.equal(parse("\uFEFF").partial, false);
});

test("invalid UTF-8 is reported at its exact byte offset and decoded as U+FFFD", () => {
  const input = bytes("data: ok\n\ndata: a", [0xc3, 0x28], "b", [0xe2, 0x82], "\ndata: ", [0xff], "\n\n");
  const p = sameEverySplit(input);
  assert.equal(p.events[1]!.data, "a\uFFFD(b\uFFFD\n\uFFFD");
  const decoded = new TextDecoder().decode(input.subarray(10)).split("\n").slice(0, 2).map((l) => l.slice(6));
  assert.equal(p.events[1]!.data, decoded.join("\n"), "the same text a whole-stream decoder gives");
  assert.deepEqual(p.issues.map((i) => [i.rule, i.offset, i.eventIndex]), [17, 20, 29].map((o) => ["invalid-utf8", o, 1]));
  const eof = parse(bytes("data: a\n\ndata: ", [0xf0, 0x9f]));
  assert.deepEqual(rules(eof), ["invalid-utf8", "partial-event"], "a sequence cut by the close is invalid too");
});

test("multi-byte characters split across chunks decode correctly", () => {
  const text = "event: é\ndata: 日本 😀 ✓\n\n";
  const p = sameEverySplit(text);
  assert.deepEqual(p.events.map((e) => [e.event, e.data]), [["é", "日本 😀 ✓"]]);
  assert.deepEqual(p.issues, []);
});

test("mixing line-ending styles is reported once, where it changes", () => {
  const input = "data: a\n\ndata: b\r\n\r\ndata: c\r\r";
  const p = sameEverySplit(input);
  assert.deepEqual(datas(p), ["a", "b", "c"]);
  assert.deepEqual(p.issues.map((i) => [i.rule, i.offset, i.eventIndex]), [["mixed-line-endings", input.indexOf("\r"), 1]]);
  assert.match(p.issues[0]!.message, /CRLF.*began with LF/);
});

test("issues are capped, with one marker for the rest", () => {
  const p = parse("x: 1\n".repeat(300) + "data: a\n\n", [], { maxIssues: 5 });
  assert.deepEqual(datas(p), ["a"]);
  assert.deepEqual(rules(p), [...Array(5).fill("unknown-field"), "too-many-issues"]);
});

test("with the validator off, delivery is the same and no issue is kept", () => {
  const input = bytes("foo: 1\nevent: x\n\n", [0xff], "data: a\r\nid: 1\0\n\ndata: b");
  const on = parse(input);
  const off = parse(input, [], { validate: false });
  assert.deepEqual(off.events, on.events);
  assert.ok(on.issues.length > 0);
  assert.deepEqual(off.issues, []);
  assert.equal(off.partial, true);
});

test("every rule has a one-line explanation and a kebab-case id", () => {
  for (const [id, text] of Object.entries(FRAMING_RULES)) {
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(text.length > 20 && !text.includes("\n"), id);
  }
});
