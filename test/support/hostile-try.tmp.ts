import { startHostile, type Behaviour } from "./hostile.ts";
const h = await startHostile(process.argv[2] as Behaviour);
console.log(h.url);
process.on("SIGTERM", async () => { await h.stop(); process.exit(0); });
setInterval(() => {}, 1000);
