/**
 * The front's own small event-stream re-framer, so event-level faults can rewrite real streams. It is
 * deliberately not the suite's parser: a bug there must not be able to hide itself by shaping the very
 * streams it is tested on. It understands what the reference's upstream servers write (LF or CRLF line
 * ends, `event`/`data`/`id` fields, comments), nothing more.
 */
import type { ProxyEvent } from "./faults/types.ts";

export class Reframer {
  private pending = "";
  /** The last chunk ended with CR: an LF starting the next one belongs to that line end. */
  private afterCr = false;
  private event: ProxyEvent = { event: "message", data: "" };
  private data: string[] = [];
  private readonly decoder = new TextDecoder();

  /** Events completed by this chunk, in order. */
  feed(chunk: Buffer): ProxyEvent[] {
    let text = this.decoder.decode(chunk, { stream: true });
    if (this.afterCr && text.startsWith("\n")) text = text.slice(1);
    text = this.pending + text;
    this.afterCr = text.endsWith("\r");
    // A chunk may end inside a line, or between the CR and LF of one line end.
    const lines = text.split(/\r\n|\n|\r/);
    this.pending = lines.pop()!;
    const out: ProxyEvent[] = [];
    for (const line of lines) {
      if (line === "") {
        if (this.data.length) out.push({ ...this.event, data: this.data.join("\n") });
        this.event = { event: "message", data: "" };
        this.data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") this.event.event = value;
      else if (field === "data") this.data.push(value);
      else if (field === "id") this.event.id = value;
    }
    return out;
  }
}

/** One event in the event-stream format, LF line ends, fields in the Agent Server's order. */
export function frame(e: ProxyEvent): string {
  const data = e.data.split(/\r\n|\n|\r/).map((l) => `data: ${l}\n`).join("");
  return `event: ${e.event}\n${data}${e.id !== undefined ? `id: ${e.id}\n` : ""}\n`;
}
