/** What a stream scenario works with: the target, and recording helpers the runner wires to the checks. */
import type { Exchange, HttpRequest } from "../../core/exchange.ts";
import type { SpecId } from "../../core/finding.ts";
import type { Target } from "../../core/target.ts";
import type { Recorder } from "../../runner/record.ts";
import type { Intent } from "../../contract/checks/types.ts";
import type { StreamExpectation } from "../grammar/rules.ts";
import type { JudgedStream, JudgeOptions } from "../judge.ts";

export interface ScenarioContext {
  target: Target;
  rec: Recorder;
  /** Put into the metadata of everything the suite creates, so its resources are recognisable. */
  tag: string;
  /** Sends a request, counts it against the operation and runs the contract checks on the exchange. */
  call(spec: SpecId, operationId: string, req: HttpRequest, intent?: Intent): Promise<Exchange>;
  /** Opens and judges a stream, recording each rule's verdict under `mode` and its violations as findings. */
  stream(spec: SpecId, operationId: string, mode: string, req: HttpRequest, x: StreamExpectation, options?: JudgeOptions): Promise<JudgedStream>;
  /** Records a scenario-level rule (lifecycle, multitask, resume…) with its violations. */
  verdict(spec: SpecId, operationId: string, mode: string, check: string, problems: string[], req: HttpRequest): void;
}

export type Scenario = (ctx: ScenarioContext) => Promise<void>;

export interface NamedScenario {
  /** Test title, e.g. "agent-server › stream modes › values". */
  title: string;
  spec: SpecId;
  /** The checks it reports, each its own test in the runner. */
  checks: string[];
  run: Scenario;
}
