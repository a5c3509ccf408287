/**
 * What a stream scenario works with — the target's API clients, a recorder, the contract oracle — and the
 * builder of that context: every exchange is counted and judged by the contract checks, every stream by
 * the stream rules, with the stream and strategy it was judged in kept as fields of its findings.
 */
import type { CheckName } from "../../core/checks.ts";
import { breakerFor, clientFor, type ApiClient } from "../../core/client.ts";
import type { Exchange, HttpRequest } from "../../core/exchange.ts";
import { TransportError } from "../../core/http.ts";
import { setupAnswer, setupTransportError } from "../../core/setup.ts";
import { GRAPH_ROLES, paceConfig, paceModelId, type GraphRole, type ModelPace, type SpecId, type Target } from "../../core/target.ts";
import type { Intent } from "../../contract/checks/types.ts";
import type { Oracle } from "../../contract/oracle.ts";
import type { Recorder } from "../../results/recorder.ts";
import { judgeStream, type JudgedStream, type JudgeOptions } from "../judge.ts";
import type { StreamExpectation } from "../grammar/rules.ts";
import type { SseLimits } from "../sse/types.ts";

export interface ScenarioContext {
  target: Target;
  rec: Recorder;
  /** Put into the metadata of everything the suite creates, so its resources are recognisable. */
  tag: string;
  /** Builds a JSON request to one API of the target, with its credentials. */
  request(spec: SpecId, method: string, path: string, body?: unknown, headers?: Record<string, string>): HttpRequest;
  /** The run config of a scripted model's pace on the Agent Server; undefined on targets without knobs. */
  runConfig(pace: ModelPace): { configurable: Record<string, number> } | undefined;
  /** The Managed model id of a scripted model's pace; undefined on targets without knobs. */
  modelId(pace: ModelPace): string | undefined;
  /** How long a run at this pace takes to produce its tokens, where the pace can be set; undefined elsewhere. */
  producedOver(pace: ModelPace): number | undefined;
  /** The assistant (or graph) id that plays a role; a scenario declares the roles it needs (see `requires`). */
  graph(role: GraphRole): string;
  /** Sends a request, counts it against the operation and runs the contract checks on the exchange. */
  call(spec: SpecId, operationId: string, req: HttpRequest, intent?: Intent): Promise<Exchange>;
  /** Like call, for what the scenario needs (an agent, a thread): its JSON body, or a SetupError. */
  setup(spec: SpecId, operationId: string, req: HttpRequest, want: string): Promise<any>;
  /** Opens and judges a stream, recording each rule's verdict under `mode` and its violations as findings. */
  stream(spec: SpecId, operationId: string, mode: string, req: HttpRequest, x: StreamExpectation, options?: JudgeOptions): Promise<JudgedStream>;
  /** Records a scenario-level rule (lifecycle, multitask, resume…) with its violations. */
  verdict(spec: SpecId, operationId: string, mode: string, check: CheckName, problems: string[], req: HttpRequest): void;
}

export type Scenario = (ctx: ScenarioContext) => Promise<void>;

export interface NamedScenario {
  /** Test title, e.g. "agent-server › stream modes › values". */
  title: string;
  spec: SpecId;
  /** The checks it reports, each its own test in the runner. */
  checks: CheckName[];
  /** Why this target cannot run it (a graph role it lacks, a run nobody agreed to pay for); undefined: it can. */
  requires?(target: Target): string | undefined;
  run: Scenario;
}

/** A scenario's requirement of graphs by role, with the flag that names them. */
export const needsGraphs =
  (...roles: GraphRole[]) =>
  (target: Target): string | undefined => {
    const missing = roles.filter((r) => target.graphs?.[r] === undefined);
    if (!missing.length) return undefined;
    return `needs ${missing.map((r) => `a graph that ${GRAPH_ROLES[r]}`).join(" and ")}: name it with ${missing.map((r) => `--graph ${r}=ASSISTANT_OR_GRAPH_ID`).join(" ")}`;
  };

export interface ScenarioSettings {
  target: Target;
  rec: Recorder;
  oracle: Oracle;
  tag: string;
  /** Bound every stream the scenarios open (the defaults allow minute-long runs). */
  limits?: Partial<SseLimits>;
  signal?: AbortSignal;
}

export function scenarioContext(s: ScenarioSettings): ScenarioContext {
  const { target, rec, oracle } = s;
  const clients = new Map<SpecId, ApiClient>();
  const client = (spec: SpecId) => {
    let c = clients.get(spec);
    if (!c) {
      c = clientFor(target, spec, { signal: s.signal });
      if (!c) throw new Error(`the target serves no ${spec} API`);
      clients.set(spec, c);
    }
    return c;
  };
  const call: ScenarioContext["call"] = async (spec, operationId, req, intent = { kind: "valid" }) => {
    rec.request({ spec, operationId });
    const x = await client(spec).send(req);
    rec.violations({ spec, operationId }, oracle(spec, operationId, x, intent), req, { status: x.response.status });
    return x;
  };
  return {
    target,
    rec,
    tag: s.tag,
    request: (spec, method, path, body, headers) => client(spec).request(method, path, body, { headers }),
    runConfig: (pace) => (target.knobs ? paceConfig(target.knobs, pace) : undefined),
    modelId: (pace) => (target.knobs ? paceModelId(target.knobs, pace) : undefined),
    producedOver: (pace) => (target.knobs ? (pace.firstTokenDelayMs ?? 0) + pace.tokens * pace.delayMs : undefined),
    graph(role) {
      const id = target.graphs?.[role];
      if (id === undefined) throw new Error(needsGraphs(role)(target));
      return id;
    },
    call,
    async setup(spec, operationId, req, want) {
      try {
        return setupAnswer(operationId, await call(spec, operationId, req), want);
      } catch (error) {
        throw error instanceof TransportError ? setupTransportError(operationId, error) : error;
      }
    },
    async stream(spec, operationId, mode, req, expectation, options) {
      rec.request({ spec, operationId });
      // Streams share the target's breaker with every other request.
      const breaker = breakerFor(req.url);
      breaker.check(req);
      let judged: JudgedStream;
      try {
        judged = await judgeStream(req, expectation, { ...options, limits: { ...s.limits, ...options?.limits } });
      } catch (error) {
        breaker.failed((error as Error).message);
        throw new TransportError((error as Error).message, req, "connection");
      }
      breaker.answered();
      const where = { spec, operationId, streamMode: mode };
      if (judged.status >= 300) {
        // A refused stream is an ordinary exchange: the contract checks judge it; its rules are not judged.
        const x: Exchange = { request: req, response: { status: judged.status, headers: judged.headers, body: judged.body ?? "" }, timings: { sentAt: 0, headersAt: judged.timings.headersMs, endAt: judged.timings.endMs } };
        rec.violations({ spec, operationId }, oracle(spec, operationId, x, { kind: "valid" }), req, { status: judged.status });
        return judged;
      }
      for (const [check, outcome] of judged.rules) {
        if (!Array.isArray(outcome)) {
          rec.stream(where, check, outcome);
          continue;
        }
        rec.stream(where, check, outcome.length > 0);
        rec.violations(where, outcome, req, { stream: true, status: judged.status });
      }
      return judged;
    },
    verdict(spec, operationId, mode, check, problems, req) {
      const where = { spec, operationId, streamMode: mode };
      rec.stream(where, check, problems.length > 0);
      rec.violations(where, problems.map((message) => ({ check, message })), req);
    },
  };
}
