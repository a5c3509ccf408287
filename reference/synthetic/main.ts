/**
 * Child-process entry of the synthetic source, so a benchmark's client and the source do not share an event
 * loop. Reports its address over IPC and exits when its parent goes away.
 */
import { startSyntheticSource } from "./source.ts";

const source = await startSyntheticSource();
const stop = () => void source.stop().finally(() => process.exit(0));
process.on("disconnect", stop);
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.send?.({ type: "ready", url: source.url });
