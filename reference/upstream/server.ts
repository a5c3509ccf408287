/**
 * Child-process entry of the real Agent Server (@langchain/langgraph-api). Runs under tsx so graphs can be
 * TypeScript. Reports its address over IPC and exits when its parent goes away, so no process outlives a run.
 */
import { rmSync } from "node:fs";
import { startServer } from "@langchain/langgraph-api/server";
import { GRAPHS } from "./graphs.ts";

const cwd = process.env.AGENTWIRE_UPSTREAM_CWD!;
const workers = Number(process.env.AGENTWIRE_UPSTREAM_WORKERS ?? 10);

let stopping = false;
function stop(code: number): never {
  if (!stopping) {
    stopping = true;
    // The folder is ours alone; removing it here covers a parent that died without cleaning up.
    rmSync(cwd, { recursive: true, force: true });
  }
  process.exit(code);
}
process.on("disconnect", () => stop(0));
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));

try {
  const { host } = await startServer({ port: 0, nWorkers: workers, host: "127.0.0.1", cwd, graphs: { ...GRAPHS } });
  process.send?.({ type: "ready", url: `http://${host}` });
} catch (error) {
  process.send?.({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  stop(1);
}
