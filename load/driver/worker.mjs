// Entry of a driver worker thread: the suite is TypeScript run through tsx, which a worker must register itself.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
