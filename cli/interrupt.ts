/**
 * Ctrl-C and SIGTERM, sent to the CLI alone or to its whole process group (a CI cancel, `timeout`): the
 * first signal asks for an orderly stop, a second one for an immediate one. Child process groups the CLI
 * leads (the conformance runner) are stopped with it, so none outlives the run.
 */
const groups = new Set<number>();

/** A child started in its own process group; it gets the same stop as the CLI. */
export const trackGroup = (pid: number) => void groups.add(pid);
export const untrackGroup = (pid: number) => void groups.delete(pid);

export function signalGroups(signal: NodeJS.Signals): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }
}

/** `stop` on the first signal; `force` (an immediate stop) on every later one. */
export function onInterrupt(stop: () => void, force: () => void): void {
  let count = 0;
  const listener = () => {
    count++;
    if (count === 1) stop();
    else force();
  };
  process.on("SIGINT", listener);
  process.on("SIGTERM", listener);
}
