/** Static findings about the document itself: what makes an operation untestable or its contract suspicious. */
import { operations } from "./catalogue.ts";
import { danglingRefs } from "./refs.ts";
import type { LoadedSpec, Operation } from "./types.ts";
import { createValidator, type Validator } from "./validator.ts";

export const LINT_RULES = {
  "streaming-not-declared": "The operation looks like a stream (path, summary or operationId) but documents no text/event-stream response.",
  "no-error-response": "No 4xx, 5xx or default response is documented, so every error answer is undocumented.",
  "unresolved-ref": "A $ref resolves nowhere in the document (or points outside it).",
  "json-response-without-schema": "A 2xx JSON response documents no schema, so its body cannot be checked.",
  "path-parameter-undeclared": "A {name} in the path has no matching path parameter.",
  "path-parameter-not-in-path": "A path parameter is declared but does not appear in the path.",
  "duplicate-operation-id": "Two operations share an operationId.",
  "operation-id-missing": "The operation has no operationId; a name was made from method and path.",
  "example-invalid": "A documented example does not match the schema it illustrates.",
} as const;

export type LintRule = keyof typeof LINT_RULES;

export interface LintIssue {
  operationId?: string;
  rule: LintRule;
  message: string;
}

const isJson = (mediaType: string) => /^application\/(.+\+)?json$/i.test(mediaType.split(";")[0]!.trim());
const isErrorStatus = (status: string) => status === "default" || /^[45]/.test(status);
const words = (s: string) => s.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((w) => w.toLowerCase());

function looksLikeStream(op: Operation): boolean {
  return op.path.split("/").includes("stream") || words(op.summary ?? "").includes("stream") || words(op.operationId).includes("stream");
}

function operationIssues(op: Operation): LintIssue[] {
  const issue = (rule: LintRule, message: string): LintIssue => ({ operationId: op.operationId, rule, message: `${op.method} ${op.path}: ${message}` });
  const out: LintIssue[] = [];
  if (op.operationIdSynthesized) out.push(issue("operation-id-missing", `no operationId; using "${op.operationId}"`));
  if (looksLikeStream(op) && !op.streaming) {
    const declared = [...new Set(op.responses.flatMap((r) => r.content.map((c) => c.mediaType)))];
    out.push(issue("streaming-not-declared", `looks like a stream but documents ${declared.length ? declared.join(", ") : "no media type"}, not text/event-stream`));
  }
  if (!op.responses.some((r) => isErrorStatus(r.status))) {
    out.push(issue("no-error-response", `documents only ${op.responses.map((r) => r.status).join(", ") || "no responses"}`));
  }
  for (const r of op.responses) {
    if (!r.status.startsWith("2")) continue;
    for (const c of r.content) if (isJson(c.mediaType) && c.schema === undefined) out.push(issue("json-response-without-schema", `the ${r.status} ${c.mediaType} response has no schema`));
  }
  const inTemplate = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const declared = op.parameters.filter((p) => p.in === "path").map((p) => p.name);
  for (const name of inTemplate) if (!declared.includes(name)) out.push(issue("path-parameter-undeclared", `{${name}} is in the path but not declared as a path parameter`));
  for (const name of declared) if (!inTemplate.includes(name)) out.push(issue("path-parameter-not-in-path", `path parameter "${name}" does not appear in the path`));
  return out;
}

/** Request and response examples against their own schemas: a wrong example misleads every reader. */
function exampleIssues(op: Operation, validator: Validator): LintIssue[] {
  const sites = [
    ...(op.requestBody?.content.map((c) => ({ where: `request ${c.mediaType}`, c })) ?? []),
    ...op.responses.flatMap((r) => r.content.map((c) => ({ where: `${r.status} ${c.mediaType}`, c }))),
  ];
  return sites.flatMap(({ where, c }) =>
    c.schemaRef === undefined || !isJson(c.mediaType)
      ? []
      : c.examples.flatMap((ex) => {
          const errors = validator.validate(c.schemaRef!, ex.value);
          return errors.length ? [{ operationId: op.operationId, rule: "example-invalid" as const, message: `${op.method} ${op.path}: the ${where} example "${ex.name}" does not match its schema: ${errors.slice(0, 3).join("; ")}` }] : [];
        }),
  );
}

export function lint(spec: LoadedSpec, validator: Validator = createValidator(spec)): LintIssue[] {
  const ops = operations(spec);
  const out = ops.flatMap((op) => [...operationIssues(op), ...exampleIssues(op, validator)]);

  const byId = new Map<string, Operation[]>();
  for (const op of ops) byId.set(op.operationId, [...(byId.get(op.operationId) ?? []), op]);
  for (const [id, same] of byId) {
    if (same.length > 1) out.push({ operationId: id, rule: "duplicate-operation-id", message: `operationId "${id}" is used by ${same.map((o) => `${o.method} ${o.path}`).join(", ")}` });
  }

  for (const site of danglingRefs(spec.document)) {
    const owner = ops.find((op) => site.at === op.pointer || site.at.startsWith(op.pointer + "/"));
    out.push({ ...(owner ? { operationId: owner.operationId } : {}), rule: "unresolved-ref", message: `$ref "${site.ref}" at ${site.at} ${site.reason}` });
  }
  return out;
}
