/** The loaded documents of a run: operations and validators per API, and the contract oracle built on them. */
import type { Exchange } from "../core/exchange.ts";
import type { SpecId } from "../core/target.ts";
import type { Violation } from "../results/finding.ts";
import { runChecks } from "./checks/index.ts";
import type { Intent, ResponseContract } from "./checks/types.ts";
import { operations } from "./model/catalogue.ts";
import { loadSpec } from "./model/load.ts";
import type { LoadedSpec, Operation } from "./model/types.ts";
import { createValidator, mediaEntryFor, responseFor, type Validator } from "./model/validator.ts";
import { waitsFor } from "./model/waits.ts";

export type SpecFiles = Partial<Record<SpecId, string>>;

export interface ApiModel {
  spec: LoadedSpec;
  operations: Operation[];
  validator: Validator;
  byId: Map<string, Operation>;
}

export type SpecSet = Partial<Record<SpecId, ApiModel>>;

export async function loadSpecSet(files: SpecFiles): Promise<SpecSet> {
  const set: SpecSet = {};
  for (const [id, file] of Object.entries(files) as [SpecId, string][]) {
    const spec = await loadSpec(file);
    const ops = operations(spec);
    set[id] = { spec, operations: ops, validator: createValidator(spec), byId: new Map(ops.map((o) => [o.operationId, o])) };
  }
  return set;
}

/** What the document says about an operation's responses, in the shape the checks ask for. */
function responseContract(op: Operation, validator: Validator): ResponseContract {
  const check = (schemaRef: string | undefined, schema: unknown, value: unknown) =>
    schemaRef ? validator.validate(schemaRef, value) : schema !== undefined ? validator.validateSchema(schema as never, value) : undefined;
  const waits = waitsFor(op);
  return {
    ...(waits ? { waits } : {}),
    statuses: op.responses.map((r) => r.status),
    responseFor(status) {
      const r = responseFor(op, status);
      return r && { key: r.status, mediaTypes: r.content.map((c) => c.mediaType), headers: r.headers.map((h) => ({ name: h.name, required: h.required })) };
    },
    validateBody(status, mediaType, body) {
      const entry = mediaEntryFor(responseFor(op, status)?.content ?? [], mediaType);
      return entry ? check(entry.schemaRef, entry.schema, body) : undefined;
    },
    validateHeader(status, name, value) {
      const h = responseFor(op, status)?.headers.find((x) => x.name.toLowerCase() === name.toLowerCase());
      return h ? check(h.schemaRef, h.schema, value) : undefined;
    },
  };
}

/** Judges one exchange of an operation against its document (every contract check). */
export type Oracle = (spec: SpecId, operationId: string, exchange: Exchange, intent: Intent) => Violation[];

export interface OracleOptions {
  /** The response-time limit in ms (`--response-time`); the response_time check is off without it. */
  responseTimeMs?: number;
}

/** Judges an exchange of an operation with every contract check; unknown operations are not judged. */
export function oracleFor(set: SpecSet, options: OracleOptions = {}): Oracle {
  const contracts = new Map<string, ResponseContract>();
  return (spec: SpecId, operationId: string, exchange: Exchange, intent: Intent): Violation[] => {
    const model = set[spec];
    const op = model?.byId.get(operationId);
    if (!model || !op) return [];
    const key = `${spec}|${operationId}`;
    let contract = contracts.get(key);
    if (!contract) contracts.set(key, (contract = responseContract(op, model.validator)));
    return runChecks({ exchange, contract, intent, ...(options.responseTimeMs !== undefined ? { responseTimeMs: options.responseTimeMs } : {}) });
  };
}

/** The header that carries the API key, as the document's security scheme names it (lower case). */
export function keyHeaderOf(model: ApiModel): string | undefined {
  return model.operations.find((op) => op.security.apiKeyHeader)?.security.apiKeyHeader?.toLowerCase();
}
