/** The graphs the reference Agent Server serves, by graph id. */
import { fileURLToPath } from "node:url";

const file = (name: string, symbol: string) => `${fileURLToPath(new URL(`./graphs/${name}.ts`, import.meta.url))}:${symbol}`;

export const GRAPHS = {
  deep: file("deep", "deepAgent"),
  deep_hitl: file("deep", "deepHitl"),
  deep_echo_hitl: file("deep", "deepEchoHitl"),
  agent: file("agent", "graph"),
  subgraph: file("subgraph", "graph"),
  error: file("error", "graph"),
  interrupt: file("interrupt", "graph"),
} as const;

