/** `agentwire reference`: starts only the embedded reference and prints where it listens. */
import { FAULTS } from "../../reference/faults/catalog.ts";
import { startReference, UnknownFaultError } from "../../reference/index.ts";
import type { ReferenceConfig } from "../args.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { onInterrupt } from "../interrupt.ts";

export async function reference(config: ReferenceConfig): Promise<number> {
  if (config.listFaults) {
    const width = Math.max(...FAULTS.map((f) => f.name.length));
    for (const f of FAULTS) console.log(`${f.name.padEnd(width)}  ${f.apis.join("+").padEnd(20)}  ${f.rule} (caught by ${f.caughtBy.join(", ")})`);
    return EXIT.conforms;
  }
  const started = performance.now();
  let ref;
  try {
    ref = await startReference({ server: config.server, port: config.port, apiKey: config.apiKey, faults: config.faults, workers: config.workers, log: (line) => console.error(line) });
  } catch (error) {
    if (error instanceof UnknownFaultError) throw new CliError(error.message);
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new CliError(`--port ${config.port} is already in use`);
    throw error;
  }
  console.log(`agentwire reference ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  Agent Server             ${ref.server === "python" ? "Python (PyPI langgraph-api)" : "JS (@langchain/langgraph-api)"}`);
  console.log(`  Managed Deep Agents API  ${ref.managedUrl}`);
  console.log(`  Agent Server API         ${ref.agentServerUrl}`);
  console.log(`  API key (X-Api-Key)      ${ref.apiKey}`);
  console.log(`  faults                   ${ref.faults.length ? ref.faults.join(", ") : "none"}`);
  console.log("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => onInterrupt(resolve, () => process.exit(130)));
  await ref.stop();
  return EXIT.conforms;
}
