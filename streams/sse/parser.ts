/**
 * Incremental, strict event-stream parser. Delivery follows the WHATWG event-stream rules exactly; the
 * optional validator separately reports framing a conformant server never sends, by raw byte offset and
 * event index.
 *
 * It works on bytes rather than decoded text: line ends, colons and field names are ASCII, and a UTF-8
 * decoder never lets a malformed sequence swallow an ASCII byte, so decoding each value on its own gives the
 * same text as decoding the whole stream first. Only the current line and the current event are kept.
 */
import { isAscii, isUtf8 } from "node:buffer";
import { limits } from "../../core/limits.ts";
import type { FramingIssue, SseEvent } from "./types.ts";

/** Every rule the validator can report, with what it means. The ids are stable: reports and checks key on them. */
export const FRAMING_RULES = {
  "invalid-utf8": "Bytes that are not valid UTF-8; clients replace them with U+FFFD, so the text changes.",
  "bom-not-at-start": "A byte-order mark after the first byte; only a leading one is skipped, later ones become text.",
  "unknown-field": "A field other than event, data, id or retry (names are case-sensitive); clients ignore the line.",
  "line-without-colon": "A non-empty line with no colon; clients read the whole line as a field name with an empty value.",
  "invalid-retry": "A retry value that is not a non-empty run of ASCII digits; clients ignore it.",
  "id-contains-nul": "An id containing U+0000; clients ignore the field and keep the previous last event id.",
  "repeated-field": "event, id or retry given more than once in one event; only the last one counts.",
  "event-without-data": "A block with an event or id field but no data line; clients dispatch nothing for it.",
  "mixed-line-endings": "More than one line-ending style (LF, CRLF, CR) in one stream; reported once, where it changes.",
  "partial-event": "The body closed after bytes that no blank line completed; clients drop that event.",
  "too-many-issues": "The issue cap was reached; later issues were not recorded.",
} as const;

export type FramingRule = keyof typeof FRAMING_RULES;

export interface SseParserOptions {
  /** Run the framing validator (default false: delivery only). */
  validate?: boolean;
  /** Keep at most this many issues, then one too-many-issues marker (default 100). */
  maxIssues?: number;
  /** A longer line stops the parser (`overflow`) instead of being buffered (default: the maxLineBytes limit). */
  maxLineBytes?: number;
  /** An event whose lines together are longer stops the parser (default: the maxEventBytes limit). */
  maxEventBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

const ENDING_NAMES = ["", "LF", "CRLF", "CR"] as const;
const ENDING_LF = 1;
const ENDING_CRLF = 2;
const ENDING_CR = 3;

// Which single-valued fields the event being assembled has seen (for repeated-field and event-without-data).
const SEEN_EVENT = 1;
const SEEN_ID = 2;
const SEEN_RETRY = 4;

/** A finished line longer than this does not keep its carry buffer, so one huge line leaves no lasting cost. */
const KEEP_CARRY_BYTES = 64 * 1024;

export class SseParser {
  /** Framing issues found so far (validator on), in stream order. */
  readonly issues: FramingIssue[] = [];
  /** Issues not kept because the cap was reached. */
  droppedIssues = 0;
  /** Set when a line or an event outgrew its cap: the parser then ignores every later byte. */
  overflow: "line" | "event" | undefined;
  private lastId = "";

  private readonly validate: boolean;
  private readonly maxIssues: number;
  private readonly maxLine: number;
  private readonly maxEvent: number;
  /** Stream offset of the next byte to be fed. */
  private offset = 0;
  /** Events dispatched so far, i.e. the index of the event being assembled. */
  private count = 0;
  private receivedAt = 0;
  private out: SseEvent[] = [];
  /**
   * The chunk being fed, and its text when it is all ASCII (byte offsets then equal string offsets). Values
   * are slices of that text, which V8 may share with it: a kept event can keep its chunk's text alive.
   */
  private chunk: Buffer | undefined;
  private ascii: string | undefined;
  /** The lines lying wholly in the chunk are known to be valid UTF-8 without a BOM (validator on). */
  private clean = false;

  // A line that started in an earlier chunk.
  private carry: Buffer | undefined;
  private carryLen = 0;
  private carryAt = 0;
  // A CR ended the previous chunk: an LF starting the next one belongs to the same line ending.
  private pendingCR = false;
  private crAt = 0;
  private firstEnding = 0;
  private mixedReported = false;

  // The event being assembled.
  private blockAt = -1;
  private data: string | undefined;
  private type = "";
  private id: string | undefined;
  private retry: number | undefined;
  private seen = 0;

  constructor(options: SseParserOptions = {}) {
    this.validate = options.validate ?? false;
    this.maxIssues = options.maxIssues ?? 100;
    this.maxLine = options.maxLineBytes ?? limits().maxLineBytes;
    this.maxEvent = options.maxEventBytes ?? limits().maxEventBytes;
  }

  /** Parses the next bytes of the stream; returns the events they complete, stamped with `receivedAt`. */
  feed(bytes: Uint8Array, receivedAt: number): SseEvent[] {
    if (this.overflow) return [];
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = buf.length;
    const base = this.offset;
    const out: SseEvent[] = [];
    this.out = out;
    this.receivedAt = receivedAt;
    this.chunk = buf;
    // Most chunks are pure ASCII: one native check, then values are slices of one decoded string.
    this.ascii = isAscii(buf) ? buf.toString("latin1") : undefined;
    let lf = buf.indexOf(LF);
    let cr = buf.indexOf(CR);
    if (this.validate) this.clean = this.ascii !== undefined || cleanLines(buf, this.carryLen > 0 ? Math.min(lf >>> 0, cr >>> 0) + 1 : 0);
    let i = 0;
    if (this.pendingCR && n > 0) {
      this.pendingCR = false;
      if (buf[0] === LF) i = 1;
      if (this.validate) this.ending(i === 1 ? ENDING_CRLF : ENDING_CR, this.crAt);
    }
    let start = i;
    if (lf === 0 && i === 1) lf = buf.indexOf(LF, 1);
    while (lf !== -1 || cr !== -1) {
      const isCR = lf === -1 || (cr !== -1 && cr < lf);
      const end = isCR ? cr : lf;
      if (this.carryLen > 0) {
        this.append(buf, start, end);
        if (this.overflow) break;
        this.line(this.carry!, 0, this.carryLen, this.carryAt);
        this.dropCarry();
      } else this.line(buf, start, end, base + start);
      if (this.overflow) break;
      start = end + 1;
      if (!isCR) {
        if (this.validate) this.ending(ENDING_LF, base + end);
        lf = buf.indexOf(LF, start);
      } else if (start < n) {
        const crlf = buf[start] === LF;
        if (this.validate) this.ending(crlf ? ENDING_CRLF : ENDING_CR, base + end);
        if (crlf) start++;
        if (lf !== -1 && lf < start) lf = buf.indexOf(LF, start);
        cr = buf.indexOf(CR, start);
      } else {
        this.pendingCR = true;
        this.crAt = base + end;
        break;
      }
    }
    if (start < n && !this.overflow) {
      if (this.carryLen === 0) this.carryAt = base + start;
      this.append(buf, start, n);
    }
    this.offset = base + n;
    this.chunk = undefined;
    this.ascii = undefined;
    return out;
  }

  /** The last-event-id buffer; it persists across events. */
  get lastEventId(): string {
    return this.lastId;
  }

  /** True when bytes have arrived since the last blank line (closing now would cut an event). */
  get midEvent(): boolean {
    return this.blockAt >= 0 || this.trailingLine() !== undefined;
  }

  /**
   * Call once when the body has closed by itself: resolves a final CR, reports a partial event and drops it
   * (as clients do). Returns whether the body closed in the middle of an event.
   */
  finish(): boolean {
    if (this.pendingCR) {
      this.pendingCR = false;
      if (this.validate) this.ending(ENDING_CR, this.crAt);
    }
    const tail = this.trailingLine();
    const partial = this.blockAt >= 0 || tail !== undefined;
    if (this.validate && tail !== undefined) this.checkUtf8(this.carry!, tail, this.carryLen, this.carryAt + tail);
    if (this.validate && partial) {
      const at = this.blockAt >= 0 ? this.blockAt : this.carryAt + tail!;
      this.issue("partial-event", at, `${this.offset - at} byte(s) after the last blank line were never completed into an event`);
    }
    this.carry = undefined;
    this.carryLen = 0;
    this.reset();
    return partial;
  }

  /** Start of the unterminated last line's content in the carry buffer, if it has any content. */
  private trailingLine(): number | undefined {
    if (this.carryLen === 0) return undefined;
    const s = this.carryAt === 0 && startsWithBom(this.carry!, 0, this.carryLen) ? 3 : 0;
    return s < this.carryLen ? s : undefined;
  }

  private line(buf: Buffer, s: number, e: number, at: number): void {
    // The decoder drops one byte-order mark at the very start of the stream.
    if (at === 0 && startsWithBom(buf, s, e)) {
      s += 3;
      at = 3;
    }
    if (s === e) return this.dispatch();
    if (this.blockAt < 0) this.blockAt = at;
    if (e - s > this.maxLine) return void (this.overflow = "line");
    if (at + (e - s) - this.blockAt > this.maxEvent) return void (this.overflow = "event");
    const inChunk = buf === this.chunk;
    const text = inChunk ? this.ascii : undefined;
    if (this.validate && !(inChunk && this.clean)) this.checkUtf8(buf, s, e, at);
    if (buf[s] === COLON) return; // comment
    let c = s;
    while (c < e && buf[c] !== COLON) c++;
    let v = c + 1;
    if (v < e && buf[v] === SPACE) v++;
    const value = v >= e ? "" : text !== undefined ? text.slice(v, e) : buf.toString("utf8", v, e);
    const known = fieldOf(buf, s, c - s);
    if (this.validate && c === e) {
      const name = quote(buf, s, e);
      this.issue("line-without-colon", at, known ? `line ${name} has no colon; read as an empty ${name} field` : `line ${name} has no colon; read as an unknown field and ignored`);
    }
    switch (known) {
      case FIELD_DATA:
        this.data = this.data === undefined ? value : this.data + "\n" + value;
        return;
      case FIELD_EVENT:
        this.once(SEEN_EVENT, "event", at);
        this.type = value;
        return;
      case FIELD_ID:
        if (hasNul(buf, v, e)) {
          if (this.validate) this.issue("id-contains-nul", at, "id contains U+0000; the field is ignored");
          return;
        }
        this.once(SEEN_ID, "id", at);
        this.id = value;
        this.lastId = value;
        return;
      case FIELD_RETRY:
        if (v < e && allDigits(buf, v, e)) {
          this.once(SEEN_RETRY, "retry", at);
          this.retry = Number(value);
        } else if (this.validate) this.issue("invalid-retry", at, `retry ${JSON.stringify(clip(value))} is not a run of ASCII digits; ignored`);
        return;
      default:
        if (this.validate && c < e) this.issue("unknown-field", at, `unknown field ${quote(buf, s, c)} is ignored${caseHint(buf, s, c)}`);
    }
  }

  private once(flag: number, name: string, at: number): void {
    if (this.validate && this.seen & flag) this.issue("repeated-field", at, `second ${name} field in one event; the earlier value is overwritten`);
    this.seen |= flag;
  }

  private dispatch(): void {
    if (this.data !== undefined) {
      this.out.push({
        index: this.count,
        event: this.type === "" ? "message" : this.type,
        data: this.data,
        id: this.id,
        lastEventId: this.lastId,
        retry: this.retry,
        offset: this.blockAt,
        receivedAt: this.receivedAt,
      });
      this.count++;
    } else if (this.validate && this.seen & (SEEN_EVENT | SEEN_ID)) {
      this.issue("event-without-data", this.blockAt, "the block has fields but no data line, so clients dispatch nothing");
    }
    this.reset();
  }

  private reset(): void {
    this.blockAt = -1;
    this.data = undefined;
    this.type = "";
    this.id = undefined;
    this.retry = undefined;
    this.seen = 0;
  }

  private ending(style: number, at: number): void {
    if (this.firstEnding === 0) this.firstEnding = style;
    else if (style !== this.firstEnding && !this.mixedReported) {
      this.mixedReported = true;
      this.issue("mixed-line-endings", at, `${ENDING_NAMES[style]} line ending in a stream that began with ${ENDING_NAMES[this.firstEnding]}`);
    }
  }

  /** Reports each ill-formed UTF-8 sequence at its first byte, and any byte-order mark (a leading one never gets here). */
  private checkUtf8(buf: Buffer, s: number, e: number, at: number): void {
    let i = s;
    while (i < e && buf[i]! < 0x80) i++;
    while (i < e) {
      const b = buf[i]!;
      if (b < 0x80) {
        i++;
        continue;
      }
      let need = 0;
      let lo = 0x80;
      let hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b === 0xe0) lo = 0xa0;
        else if (b === 0xed) hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b === 0xf0) lo = 0x90;
        else if (b === 0xf4) hi = 0x8f;
      }
      let j = i + 1;
      let ok = need > 0;
      for (let k = 0; ok && k < need; k++, j++) {
        const c = j < e ? buf[j]! : -1;
        ok = c >= lo && c <= hi;
        lo = 0x80;
        hi = 0xbf;
        if (!ok) break;
      }
      if (!ok) {
        // The bytes up to j form the maximal ill-formed prefix; the byte at j starts afresh.
        this.issue("invalid-utf8", at + (i - s), `invalid UTF-8 sequence starting with byte 0x${b.toString(16).padStart(2, "0")}; clients decode it as U+FFFD`);
        i = need > 0 ? j : i + 1;
        continue;
      }
      if (startsWithBom(buf, i, e)) this.issue("bom-not-at-start", at + (i - s), "byte-order mark inside the stream; only one at the very start is skipped");
      i = j;
    }
  }

  private issue(rule: FramingRule, offset: number, message: string): void {
    if (this.issues.length < this.maxIssues) {
      this.issues.push({ rule, offset, eventIndex: this.count, message });
    } else if (this.droppedIssues++ === 0) {
      this.issues.push({ rule: "too-many-issues", offset, eventIndex: this.count, message: `more than ${this.maxIssues} framing issues; the rest are not recorded` });
    }
  }

  private append(buf: Buffer, s: number, e: number): void {
    const need = this.carryLen + (e - s);
    if (need > this.maxLine) {
      // An endless line is dropped, not buffered: memory stays at the cap whatever the server sends.
      this.overflow = "line";
      this.carry = undefined;
      this.carryLen = 0;
      return;
    }
    if (this.carry === undefined || this.carry.length < need) {
      const next = Buffer.allocUnsafe(Math.max(need, 2 * (this.carry?.length ?? 0), 256));
      this.carry?.copy(next, 0, 0, this.carryLen);
      this.carry = next;
    }
    buf.copy(this.carry, this.carryLen, s, e);
    this.carryLen = need;
  }

  private dropCarry(): void {
    this.carryLen = 0;
    if (this.carry !== undefined && this.carry.length > KEEP_CARRY_BYTES) this.carry = undefined;
  }
}

const FIELD_DATA = 1;
const FIELD_EVENT = 2;
const FIELD_ID = 3;
const FIELD_RETRY = 4;

/** Which known field the name bytes [s, s+len) spell, or 0. */
function fieldOf(buf: Buffer, s: number, len: number): number {
  switch (len) {
    case 4:
      return buf[s] === 0x64 && buf[s + 1] === 0x61 && buf[s + 2] === 0x74 && buf[s + 3] === 0x61 ? FIELD_DATA : 0;
    case 5:
      if (buf[s] === 0x65) return buf[s + 1] === 0x76 && buf[s + 2] === 0x65 && buf[s + 3] === 0x6e && buf[s + 4] === 0x74 ? FIELD_EVENT : 0;
      return buf[s] === 0x72 && buf[s + 1] === 0x65 && buf[s + 2] === 0x74 && buf[s + 3] === 0x72 && buf[s + 4] === 0x79 ? FIELD_RETRY : 0;
    case 2:
      return buf[s] === 0x69 && buf[s + 1] === 0x64 ? FIELD_ID : 0;
    default:
      return 0;
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Whether every line lying wholly in the chunk from `from` on is valid UTF-8 with no BOM, checked natively
 * in one go. Line breaks are ASCII, so the whole region is valid exactly when each line is.
 */
function cleanLines(buf: Buffer, from: number): boolean {
  const to = Math.max(buf.lastIndexOf(LF), buf.lastIndexOf(CR));
  if (to <= from) return true;
  const region = buf.subarray(from, to);
  return isUtf8(region) && region.indexOf(BOM) === -1;
}

const startsWithBom = (buf: Buffer, s: number, e: number) => e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf;

function hasNul(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] === 0) return true;
  return false;
}

function allDigits(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i]! < 0x30 || buf[i]! > 0x39) return false;
  return true;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
const quote = (buf: Buffer, s: number, e: number) => JSON.stringify(clip(buf.toString("utf8", s, Math.min(e, s + 160))));

function caseHint(buf: Buffer, s: number, e: number): string {
  const name = buf.toString("utf8", s, e).toLowerCase();
  return name === "data" || name === "event" || name === "id" || name === "retry" ? " (field names are case-sensitive)" : "";
}
