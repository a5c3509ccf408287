/** Starts the synthetic source in its own process (see main.ts); `stop()` ends it. */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface SpawnedSource {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

export function spawnSyntheticSource(readyTimeoutMs = 20_000): Promise<SpawnedSource> {
  const child = fork(entry, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`synthetic source did not start within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    child.once("message", (m: { type?: string; url?: string }) => {
      clearTimeout(timer);
      if (m.type === "ready" && m.url) resolve({ url: m.url, pid: child.pid!, stop });
      else reject(new Error("synthetic source sent an unexpected message"));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`synthetic source exited with code ${code} before it was ready`));
    });
  });
}
