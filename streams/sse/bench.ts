/**
 * Parser throughput on in-memory streams cut into 64 KiB chunks, as a socket would deliver them.
 * Run alone with `node --import tsx streams/sse/bench.ts`; benchParser() is for a benchmark runner.
 */
import { SseParser } from "./parser.ts";

export interface ParserBench {
  input: string;
  validate: boolean;
  bytesPerEvent: number;
  eventsPerSecond: number;
  mibPerSecond: number;
}

const INPUTS: Record<string, (i: number) => string> = {
  "small data-only": (i) => `data: {"t":"tok${i}"}\n\n`,
  "agent-server messages": (i) =>
    `event: messages\ndata: [{"content":"tok ${i} ","type":"ai","id":"run-42"},{"langgraph_node":"model","langgraph_step":2}]\nid: ${i}\n\n`,
  // Non-ASCII text takes the slower path: per-value UTF-8 decoding.
  "agent-server messages, non-ASCII": (i) =>
    `event: messages\ndata: [{"content":"日本 ${i} ","type":"ai","id":"run-42"},{"langgraph_node":"model","langgraph_step":2}]\nid: ${i}\n\n`,
};

export function benchParser(totalBytes = 32 * 1024 * 1024, rounds = 3): ParserBench[] {
  const results: ParserBench[] = [];
  for (const [input, frame] of Object.entries(INPUTS)) {
    const parts: string[] = [];
    let size = 0;
    while (size < totalBytes) size += parts[parts.push(frame(parts.length)) - 1]!.length;
    const bytes = Buffer.from(parts.join(""));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, k) => bytes.subarray(k * 65536, (k + 1) * 65536));
    for (const validate of [false, true]) {
      let best = Infinity;
      for (let r = 0; r < rounds; r++) {
        const parser = new SseParser({ validate });
        const t0 = performance.now();
        let events = 0;
        for (const c of chunks) events += parser.feed(c, t0).length;
        parser.finish();
        best = Math.min(best, performance.now() - t0);
        if (events !== parts.length) throw new Error(`parsed ${events} events, expected ${parts.length}`);
      }
      const seconds = best / 1000;
      results.push({
        input,
        validate,
        bytesPerEvent: Math.round(bytes.length / parts.length),
        eventsPerSecond: Math.round(parts.length / seconds),
        mibPerSecond: Math.round(bytes.length / 1048576 / seconds),
      });
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(benchParser());
