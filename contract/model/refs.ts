/** Local `$ref` handling: JSON pointers (RFC 6901, with ~0 and ~1) into one document. Cycles are fine. */

export const escapeToken = (token: string): string => token.replace(/~/g, "~0").replace(/\//g, "~1");
const unescapeToken = (token: string): string => token.replace(/~1/g, "/").replace(/~0/g, "~");

/** Builds "#/a/b~1c" from tokens. */
export const pointer = (...tokens: (string | number)[]): string => "#" + tokens.map((t) => "/" + escapeToken(String(t))).join("");

const isLocalRef = (ref: string): boolean => ref === "#" || ref.startsWith("#/");

/** Splits "#/a/b~1c" into ["a", "b/c"]; undefined when the ref is not a local pointer. */
export function parsePointer(ref: string): string[] | undefined {
  if (!isLocalRef(ref)) return undefined;
  const body = ref.slice(1);
  if (body === "") return [];
  let decoded: string;
  try {
    decoded = decodeURIComponent(body);
  } catch {
    return undefined;
  }
  return decoded.slice(1).split("/").map(unescapeToken);
}

/** The node a local pointer designates, or undefined when it resolves nowhere. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  const tokens = parsePointer(ref);
  if (!tokens) return undefined;
  let node: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === "object" && Object.hasOwn(node, token)) {
      node = (node as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return node;
}

export interface Deref<T> {
  /** The node after following every `$ref` (the input itself when it has none). */
  value: T | undefined;
  /** Pointer of the final target, when at least one `$ref` was followed. */
  ref?: string;
  /** Set when a `$ref` along the way resolves nowhere or loops onto itself. */
  broken?: string;
}

/** Follows a chain of `$ref`-only indirections (a ref to a ref …), as OpenAPI reference objects need. */
export function deref<T>(doc: unknown, node: T | { $ref: string }): Deref<T> {
  let current: unknown = node;
  let ref: string | undefined;
  const seen = new Set<string>();
  while (current !== null && typeof current === "object" && typeof (current as { $ref?: unknown }).$ref === "string") {
    const next = (current as { $ref: string }).$ref;
    if (seen.has(next)) return { value: undefined, ref, broken: `${next} refers to itself` };
    seen.add(next);
    const target = resolvePointer(doc, next);
    if (target === undefined) return { value: undefined, ref, broken: isLocalRef(next) ? `${next} resolves nowhere` : `${next} is not a local reference` };
    ref = next;
    current = target;
  }
  return { value: current as T, ref };
}

/** Members whose keys are names (property names, paths, status codes …), so a key there is never a keyword. */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "paths", "schemas", "responses", "parameters", "requestBodies", "content", "headers", "securitySchemes", "examples", "callbacks", "links", "webhooks", "pathItems"]);

/** Keywords whose values are instance data, not schema or document structure. */
const isData = (key: string, value: unknown) =>
  key === "example" || key === "default" || key === "const" || key === "enum" || (key === "examples" && Array.isArray(value));

export interface RefSite {
  /** Where the `$ref` is written. */
  at: string;
  ref: string;
}

/** Every `$ref` string in the document, with its location. */
function findRefs(doc: unknown): RefSite[] {
  const out: RefSite[] = [];
  const visit = (node: unknown, tokens: string[], inMap: boolean) => {
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, [...tokens, String(i)], false));
    else if (node !== null && typeof node === "object") {
      // An Example Object (a member of an `examples` map) carries data in `value`, not document structure.
      const exampleObject = tokens.at(-2) === "examples";
      for (const [k, v] of Object.entries(node)) {
        if (inMap) visit(v, [...tokens, k], false);
        else if (k === "$ref" && typeof v === "string") out.push({ at: pointer(...tokens), ref: v });
        else if (!isData(k, v) && !(exampleObject && k === "value")) visit(v, [...tokens, k], NAME_MAPS.has(k));
      }
    }
  };
  visit(doc, [], false);
  return out;
}

/** `$ref`s that resolve nowhere (or are not local, which this suite does not follow). */
export function danglingRefs(doc: unknown): (RefSite & { reason: string })[] {
  return findRefs(doc).flatMap((site) => {
    if (!isLocalRef(site.ref)) return [{ ...site, reason: "is not a local reference (only #/… pointers are supported)" }];
    return resolvePointer(doc, site.ref) === undefined ? [{ ...site, reason: "resolves nowhere" }] : [];
  });
}
