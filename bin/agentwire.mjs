#!/usr/bin/env node
// Entry point: the suite is TypeScript run through tsx, so no build step stands between a clone and a run.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
