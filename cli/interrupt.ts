/** Ctrl-C and SIGTERM handling: the first signal asks for an orderly stop, a second one forces exit. */
export function onInterrupt(handler: () => void): void {
  let count = 0;
  const listener = () => {
    count++;
    if (count === 1) handler();
    else process.exit(130);
  };
  process.on("SIGINT", listener);
  process.on("SIGTERM", listener);
}
