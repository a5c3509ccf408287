/**
 * An agent's file tree, the stored truth of its behaviour. Typed fields are written to and parsed back from
 * their documented paths: the system prompt to AGENTS.md, tools to tools.json, each subagent to
 * subagents/<name>/AGENTS.md (+ tools.json), each inline skill to skills/<name>/SKILL.md (+ its files).
 * Subagent and skill headers are YAML front matter (a layout choice of this emulator; the spec names only
 * the paths).
 */
import { createHash } from "node:crypto";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { unprocessable } from "./errors.ts";
import { isObject } from "./validate.ts";

export interface FileEntry {
  type?: "file" | "skill";
  content?: string;
  repo_handle?: string;
  commit_id?: string;
}
export type FileTree = Record<string, FileEntry>;

export interface ToolsConfig {
  tools?: Record<string, unknown>[];
  interrupt_config?: Record<string, boolean>;
}
export interface Subagent {
  name?: string;
  description?: string;
  model_id?: string;
  instructions?: string;
  tools?: ToolsConfig;
}
export interface Skill {
  type?: "inline";
  name?: string;
  description?: string;
  instructions?: string;
  files?: Record<string, string>;
}

/** The file-tree fields of a create or update request. */
export interface TreeInput {
  system_prompt?: string;
  instructions?: string;
  tools?: ToolsConfig;
  subagents?: Subagent[];
  skills?: Skill[];
  files?: FileTree;
  deleted_paths?: string[];
}

export interface TypedFields {
  system_prompt?: string;
  tools?: ToolsConfig;
  subagents: Subagent[];
  skills: Skill[];
}

const SLUG = /^[A-Za-z0-9 _-]+$/;

/** Rejects requests that are well-typed but cannot be applied (422). */
export function checkTreeInput(input: TreeInput): void {
  const files = input.files ?? {};
  const claimed: [string, string][] = [];
  if (input.system_prompt !== undefined || input.instructions !== undefined) claimed.push(["AGENTS.md", input.system_prompt !== undefined ? "system_prompt" : "instructions"]);
  if (input.tools !== undefined) claimed.push(["tools.json", "tools"]);
  for (const [field, list, dir] of [["subagents", input.subagents, "subagents"], ["skills", input.skills, "skills"]] as const) {
    const seen = new Set<string>();
    for (const item of list ?? []) {
      const name = item.name ?? "";
      if (!SLUG.test(name) || !name.trim()) {
        throw unprocessable("invalid_name", `Give every entry of '${field}' a name made of letters, digits, spaces, '_' or '-': '${name}' is not valid`);
      }
      if (seen.has(name)) throw unprocessable("duplicate_name", `Use each name once in '${field}': '${name}' appears twice`);
      seen.add(name);
      claimed.push([`${dir}/${name}/`, `${field}[${name}]`]);
    }
  }
  for (const [path, entry] of Object.entries(files)) {
    checkPath(path, "files");
    const owner = claimed.find(([p]) => (p.endsWith("/") ? path.startsWith(p) : path === p));
    if (owner) throw unprocessable("file_conflict", `Set either '${owner[1]}' or files["${path}"], not both: they write the same file`);
    if (entry.type === "skill" && (!entry.repo_handle || entry.content)) {
      throw unprocessable("invalid_file_entry", `files["${path}"] of type 'skill' needs a repo_handle and no content`);
    }
  }
  for (const skill of input.skills ?? []) for (const path of Object.keys(skill.files ?? {})) checkPath(path, `skills[${skill.name}].files`);
  for (const path of input.deleted_paths ?? []) {
    checkPath(path, "deleted_paths");
    if (files[path]) throw unprocessable("file_conflict", `'${path}' is both written in 'files' and listed in 'deleted_paths'`);
  }
}

function checkPath(path: string, where: string) {
  const parts = path.split("/");
  if (!path || path.startsWith("/") || path.includes("\\") || parts.includes("..") || parts.includes("")) {
    throw unprocessable("invalid_file_path", `Use relative file paths without a leading '/', empty or '..' segments in '${where}': '${path}' is not allowed`);
  }
}

/** The tree after applying a request: typed sections rewritten, then raw files written, then deletions. */
export function applyTreeInput(base: FileTree, input: TreeInput): FileTree {
  const tree: FileTree = { ...base };
  const prompt = input.system_prompt ?? input.instructions; // system_prompt wins over its deprecated alias
  if (prompt !== undefined) tree["AGENTS.md"] = { type: "file", content: prompt };
  if (input.tools !== undefined) tree["tools.json"] = { type: "file", content: json(input.tools) };
  if (input.subagents !== undefined) {
    clearDir(tree, "subagents/");
    for (const s of input.subagents) {
      tree[`subagents/${s.name}/AGENTS.md`] = { type: "file", content: withFrontMatter({ name: s.name, description: s.description, model_id: s.model_id }, s.instructions) };
      if (s.tools !== undefined) tree[`subagents/${s.name}/tools.json`] = { type: "file", content: json(s.tools) };
    }
  }
  if (input.skills !== undefined) {
    clearDir(tree, "skills/");
    for (const s of input.skills) {
      tree[`skills/${s.name}/SKILL.md`] = { type: "file", content: withFrontMatter({ name: s.name, description: s.description }, s.instructions) };
      for (const [path, content] of Object.entries(s.files ?? {})) tree[`skills/${s.name}/${path}`] = { type: "file", content };
    }
  }
  for (const [path, entry] of Object.entries(input.files ?? {})) tree[path] = { type: "file", ...entry };
  for (const path of input.deleted_paths ?? []) delete tree[path];
  return tree;
}

/** The typed fields as parsed back from the tree. */
export function readTree(tree: FileTree): TypedFields {
  const out: TypedFields = { subagents: [], skills: [] };
  const prompt = tree["AGENTS.md"]?.content;
  if (prompt !== undefined) out.system_prompt = prompt;
  const tools = parseJson(tree["tools.json"]?.content);
  if (tools) out.tools = tools;
  for (const [name, files] of groupDir(tree, "subagents/")) {
    const doc = files.get("AGENTS.md");
    if (doc === undefined) continue;
    const { head, body } = splitFrontMatter(doc);
    const sub: Subagent = { name: str(head.name) ?? name };
    if (str(head.description) !== undefined) sub.description = str(head.description);
    if (str(head.model_id) !== undefined) sub.model_id = str(head.model_id);
    if (body) sub.instructions = body;
    const subTools = parseJson(files.get("tools.json"));
    if (subTools) sub.tools = subTools;
    out.subagents.push(sub);
  }
  for (const [name, files] of groupDir(tree, "skills/")) {
    const doc = files.get("SKILL.md");
    if (doc === undefined) continue;
    const { head, body } = splitFrontMatter(doc);
    const skill: Skill = { type: "inline", name: str(head.name) ?? name };
    if (str(head.description) !== undefined) skill.description = str(head.description);
    if (body) skill.instructions = body;
    const extra = [...files].filter(([p]) => p !== "SKILL.md");
    if (extra.length) skill.files = Object.fromEntries(extra);
    out.skills.push(skill);
  }
  return out;
}

/** A new revision token for a tree commit: sha256 over the previous token and the tree. */
export function nextRevision(previous: string, tree: FileTree): string {
  const sorted = Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash("sha256").update(previous).update(JSON.stringify(sorted)).digest("hex");
}

const json = (v: unknown) => JSON.stringify(v, null, 2);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

function parseJson(text: string | undefined): ToolsConfig | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text);
    return isObject(v) ? (v as ToolsConfig) : undefined;
  } catch {
    return undefined; // a hand-written tools.json that is not JSON is kept as a file, not parsed
  }
}

function clearDir(tree: FileTree, prefix: string) {
  for (const path of Object.keys(tree)) if (path.startsWith(prefix)) delete tree[path];
}

/** Files below `prefix`, grouped by their first directory, in insertion order. */
function groupDir(tree: FileTree, prefix: string): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [path, entry] of Object.entries(tree)) {
    if (!path.startsWith(prefix) || entry.type === "skill") continue;
    const rest = path.slice(prefix.length);
    const cut = rest.indexOf("/");
    if (cut <= 0) continue;
    const name = rest.slice(0, cut);
    if (!groups.has(name)) groups.set(name, new Map());
    groups.get(name)!.set(rest.slice(cut + 1), entry.content ?? "");
  }
  return groups;
}

function withFrontMatter(head: Record<string, string | undefined>, body: string | undefined): string {
  const fields = Object.fromEntries(Object.entries(head).filter(([, v]) => v !== undefined));
  return `---\n${toYaml(fields)}---\n\n${body ?? ""}`;
}

function splitFrontMatter(doc: string): { head: Record<string, unknown>; body: string } {
  const m = /^---\n([\s\S]*?)\n?---\n\n?/.exec(doc);
  if (!m) return { head: {}, body: doc };
  let head: unknown;
  try {
    head = parseYaml(m[1] ?? "");
  } catch {
    head = {};
  }
  return { head: isObject(head) ? head : {}, body: doc.slice(m[0].length) };
}
