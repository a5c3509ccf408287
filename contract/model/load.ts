/** Loads an OpenAPI 3.0/3.1 document from a file or an http(s) URL, YAML or JSON, into a normalised LoadedSpec. */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import type { OpenAPIV3_1 } from "openapi-types";
import { send, TransportError } from "../../core/http.ts";
import { normalizeDocument } from "./normalize.ts";
import type { LoadedSpec } from "./types.ts";

/** Any problem loading a spec; the message is one line and names the source. */
export class SpecError extends Error {
  override name = "SpecError";
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, " "));
  }
}

/** The project's own copies of the two documents this suite targets. */
export const BUNDLED_SPECS = {
  "managed-deep-agents": fileURLToPath(new URL("../../specs/managed-deep-agents.openapi.yaml", import.meta.url)),
  "agent-server": fileURLToPath(new URL("../../specs/agent-server.openapi.yaml", import.meta.url)),
} as const;

const FETCH_TIMEOUT_MS = 15_000;

export async function loadSpec(source: string): Promise<LoadedSpec> {
  const text = /^https?:\/\//i.test(source) ? await fetchText(source) : await readText(source);
  return parseSpec(text, source);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new SpecError(`cannot read spec ${path}: ${why}`);
  }
}

async function fetchText(url: string): Promise<string> {
  try {
    const { response } = await send(
      { method: "GET", url, headers: { accept: "application/json, application/yaml, text/yaml, */*" } },
      { timeoutMs: FETCH_TIMEOUT_MS, maxBodyBytes: 32 * 1024 * 1024 },
    );
    if (response.status !== 200) throw new SpecError(`cannot load spec from ${url}: HTTP ${response.status}`);
    return response.body;
  } catch (error) {
    if (error instanceof SpecError) throw error;
    const why = error instanceof TransportError ? error.message : String(error);
    throw new SpecError(`cannot reach ${url}: ${why}`);
  }
}

/** Parses and checks document text; the format is detected from the content, not the name. */
export function parseSpec(text: string, source: string): LoadedSpec {
  return fromDocument(parseText(text, source), source);
}

function parseText(text: string, source: string): unknown {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      const where = position ? ` at line ${lineOf(text, Number(position[1]))}` : "";
      throw new SpecError(`${source}: JSON parse error${where}: ${message.replace(/ in JSON at position.*$/, "")}`);
    }
  }
  try {
    return YAML.parse(text, { maxAliasCount: 1000 });
  } catch (error) {
    const e = error as { linePos?: { line: number; col: number }[]; message: string };
    const pos = e.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
    throw new SpecError(`${source}: YAML parse error${where}: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
  }
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** Checks a parsed document is OpenAPI 3.0.x or 3.1.x and normalises it. */
export function fromDocument(doc: unknown, source: string): LoadedSpec {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new SpecError(`${source}: not an OpenAPI document (expected a mapping at the top level)`);
  const d = doc as Record<string, unknown>;
  if (d.swagger !== undefined) throw new SpecError(`${source}: Swagger ${String(d.swagger)} is not supported; convert it to OpenAPI 3.0 or 3.1`);
  if (d.openapi === undefined) throw new SpecError(`${source}: not an OpenAPI document (no "openapi" field)`);
  const version = String(d.openapi);
  if (!/^3\.[01]\.\d+/.test(version)) throw new SpecError(`${source}: unsupported OpenAPI version ${version} (supported: 3.0.x, 3.1.x)`);
  if (d.paths !== undefined && (d.paths === null || typeof d.paths !== "object")) throw new SpecError(`${source}: "paths" must be a mapping`);
  const document = normalizeDocument({ ...d, paths: d.paths ?? {} }, version) as unknown as OpenAPIV3_1.Document;
  const title = typeof document.info?.title === "string" ? document.info.title : "";
  return { id: specIdFor(document), source, title, openapiVersion: version, document };
}

/** Recognises the two target APIs (by title, or by landmark paths for Agent Server's own /openapi.json). */
function specIdFor(doc: OpenAPIV3_1.Document): string {
  const title = doc.info?.title ?? "";
  const paths = Object.keys(doc.paths ?? {});
  if (/managed deep agents/i.test(title)) return "managed-deep-agents";
  if (/agent server|langgraph|langsmith deployment/i.test(title) || (paths.includes("/assistants/search") && paths.includes("/threads/{thread_id}/runs/stream"))) {
    return "agent-server";
  }
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "spec";
}
