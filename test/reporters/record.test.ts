/** The record of exchanges (--record): what is kept of each exchange, HAR 1.2 and NDJSON, and no secret in either. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventTape, record, RECORD_BODY_BYTES, recordingUnit, recordTo, type RecordedExchange } from "../../core/recording.ts";
import { registerSecret } from "../../core/redact.ts";
import { eventStreamText, writeRecord } from "../../reporters/record.ts";

const KEY = `sk-canary"<&>'/+=9`;
/** Every form a writer or a target might spell the key in. */
const FORMS = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1), Buffer.from(KEY).toString("base64"), KEY.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace("&#38;", "&amp;").replace("&#60;", "&lt;").replace("&#62;", "&gt;").replace("&#34;", "&quot;")];
const TOOL = { name: "agentwire", version: "0.0.0-test" };

/** Records what `run` sends to the sink, then stops recording. */
function captured(run: () => void): RecordedExchange[] {
  const got: RecordedExchange[] = [];
  recordTo((e) => got.push(e));
  try {
    run();
  } finally {
    recordTo(undefined);
  }
  return got;
}

/** A careless target's answers: the key everywhere, in each of its forms. */
function echoingExchanges(): RecordedExchange[] {
  registerSecret(KEY);
  const echo = FORMS.join(" | ");
  return captured(() => {
    recordingUnit(`managed-deep-agents › create_thread › positive ${KEY}`);
    record({
      startedAt: Date.parse("2026-01-01T00:00:01Z"),
      durationMs: 12.34,
      request: { method: "POST", url: `http://127.0.0.1:1/v1/deepagents/threads?q=${encodeURIComponent(KEY)}`, headers: { "x-api-key": KEY, "content-type": "application/json" }, body: JSON.stringify({ note: KEY }) },
      response: { status: 200, headers: { "content-type": "application/json", "x-echo": KEY }, body: JSON.stringify({ echo }) },
    });
    const tape = new EventTape();
    tape.add({ event: "metadata", data: JSON.stringify({ run_id: "r1", key: KEY }) });
    tape.add({ id: "1", event: "error", data: `{"message":"bad key ${echo}"}` });
    record({ startedAt: Date.parse("2026-01-01T00:00:02Z"), durationMs: 40, request: { method: "POST", url: "http://127.0.0.1:1/v1/deepagents/threads/t/runs/stream", headers: { authorization: `Bearer ${KEY}` } }, response: { status: 200, headers: { "content-type": "text/event-stream" } }, events: tape.events, eventCount: tape.count, end: "closed" });
    record({ startedAt: Date.parse("2026-01-01T00:00:03Z"), durationMs: 2000, request: { method: "GET", url: "http://127.0.0.1:1/v1/deepagents/agents", headers: { "x-api-key": KEY } }, error: `no complete response within 2000 ms (${KEY})` });
    recordingUnit(undefined);
  });
}

function withDir(run: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), "agentwire-record-"));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const assertNoKey = (text: string, where: string) => {
  for (const form of FORMS) assert.ok(!text.includes(form), `${where} holds the key as ${JSON.stringify(form)}`);
};

test("nothing is built while the process records nothing", () => {
  const tape = new EventTape();
  tape.add({ event: "values", data: "{}" });
  assert.equal(tape.count, 0);
  assert.deepEqual(tape.events, []);
});

test("HAR 1.2: every exchange an entry, the key in none of its forms, a stream's events as its body, a failure as status 0", () => {
  const exchanges = echoingExchanges();
  withDir((dir) => {
    const file = join(dir, "x.har");
    assert.equal(writeRecord("har", file, exchanges, TOOL), 3);
    const text = readFileSync(file, "utf8");
    assertNoKey(text, "the HAR file");
    const har = JSON.parse(text) as { log: { version: string; creator: { name: string }; entries: any[] } };
    assert.equal(har.log.version, "1.2");
    assert.equal(har.log.creator.name, "agentwire");
    const [post, stream, failed] = har.log.entries;
    assert.equal(post.startedDateTime, "2026-01-01T00:00:01.000Z");
    assert.equal(post.request.method, "POST");
    assert.deepEqual(post.request.headers.find((h: { name: string }) => h.name === "x-api-key"), { name: "x-api-key", value: "***" });
    assert.deepEqual(post.request.queryString, [{ name: "q", value: "***" }]);
    assert.deepEqual(JSON.parse(post.request.postData.text), { note: "***" });
    assert.equal(post.response.status, 200);
    assert.equal(post.response.statusText, "OK");
    assert.equal(post.response.content.mimeType, "application/json");
    assert.match(post.comment, /^managed-deep-agents › create_thread › positive \*\*\*$/);
    for (const k of ["cookies", "headers", "queryString", "headersSize", "bodySize", "httpVersion"]) assert.ok(k in post.request, `request.${k}`);
    for (const k of ["send", "wait", "receive"]) assert.equal(typeof post.timings[k], "number");
    assert.equal(stream.response.content.mimeType, "text/event-stream");
    assert.equal(stream.response.content.text, eventStreamText([{ event: "metadata", data: '{"run_id":"r1","key":"***"}' }, { id: "1", event: "error", data: '{"message":"bad key *** | *** | *** | *** | ***"}' }]));
    assert.equal(stream._end, "closed");
    assert.equal(failed.response.status, 0);
    assert.match(failed._error, /^no complete response within 2000 ms \(\*\*\*\)$/);
  });
});

test("NDJSON: one exchange a line with what a replay needs, the key in none of its forms", () => {
  const exchanges = echoingExchanges();
  withDir((dir) => {
    const file = join(dir, "x.ndjson");
    assert.equal(writeRecord("ndjson", file, exchanges, TOOL), 3);
    const text = readFileSync(file, "utf8");
    assertNoKey(text, "the NDJSON file");
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as RecordedExchange);
    assert.equal(lines.length, 3);
    const [post, stream, failed] = lines;
    assert.deepEqual(post!.request, { method: "POST", url: "http://127.0.0.1:1/v1/deepagents/threads?q=***", headers: { "x-api-key": "***", "content-type": "application/json" }, body: { text: '{"note":"***"}', bytes: Buffer.byteLength(JSON.stringify({ note: KEY })) } });
    assert.equal(post!.response!.status, 200);
    assert.equal(stream!.response!.eventCount, 2);
    assert.equal(stream!.response!.events![1]!.id, "1");
    assert.equal(failed!.response, undefined);
    assert.ok(failed!.error);
  });
});

test("a long body is cut at the bound and says so, after redaction: a key across the cut leaves no part behind", () => {
  registerSecret(KEY);
  const body = `${"a".repeat(RECORD_BODY_BYTES - 5)}${KEY}${"b".repeat(1000)}`;
  const [e] = captured(() => record({ startedAt: 0, durationMs: 1, request: { method: "GET", url: "http://127.0.0.1:1/x", headers: {} }, response: { status: 200, headers: {}, body } }));
  const kept = e!.response!.body!;
  assert.equal(kept.cut, true);
  assert.equal(kept.bytes, Buffer.byteLength(body));
  assert.ok(Buffer.byteLength(kept.text) <= RECORD_BODY_BYTES);
  assert.ok(kept.text.endsWith("a***bb"), "the key is replaced before the cut");
  assert.ok(!kept.text.includes(KEY.slice(0, 4)));
  withDir((dir) => {
    writeRecord("har", join(dir, "x.har"), [e!], TOOL);
    const entry = JSON.parse(readFileSync(join(dir, "x.har"), "utf8")).log.entries[0];
    assert.equal(entry.response.content.comment, `cut: the first ${RECORD_BODY_BYTES} of ${Buffer.byteLength(body)} bytes`);
    assert.equal(entry.response.content.size, Buffer.byteLength(body));
  });
});

test("a stream's events are kept up to the bound of data, the rest counted", () => {
  const [e] = captured(() => {
    const tape = new EventTape();
    for (let i = 0; i < 100; i++) tape.add({ event: "messages", data: "x".repeat(4096) });
    record({ startedAt: 0, durationMs: 1, request: { method: "POST", url: "http://127.0.0.1:1/s", headers: {} }, response: { status: 200, headers: { "content-type": "text/event-stream" } }, events: tape.events, eventCount: tape.count, end: "closed" });
  });
  const r = e!.response!;
  assert.equal(r.eventCount, 100);
  assert.equal(r.events!.length, RECORD_BODY_BYTES / 4096);
  const entry = (() => {
    let out: any;
    withDir((dir) => {
      writeRecord("har", join(dir, "x.har"), [e!], TOOL);
      out = JSON.parse(readFileSync(join(dir, "x.har"), "utf8")).log.entries[0];
    });
    return out;
  })();
  assert.equal(entry.response.content.comment, `cut: the first 16 of 100 events (${RECORD_BODY_BYTES} bytes of data)`);
});
