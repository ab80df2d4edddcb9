import { z } from "zod";
import { invalid } from "../admission/field-errors.js";
import { checkValueSource } from "../admission/value-source.js";
import { ValueSource } from "../shared/value-source.js";
import { AddressStatus } from "./address-status.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { ADDRESS_COLUMN, AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const RESERVED_EXECUTION_ENGINE_NAME = "a2a";

export const ExecutionEngineSpec = z.object({
  type: z.string().describe("Engine family, e.g. langchain; informational."),
  address: ValueSource.describe("Base URL; agents are run with POST <address>/execute."),
  description: z.string().optional(),
  /** Upstream (newer): a template to deploy a dedicated engine from; not supported here, refused at admission. */
  source: z.record(z.string(), z.unknown()).optional().describe("Not supported by this ARK: set spec.address."),
  configSchema: z.string().optional().describe("JSON schema of the engine's configuration values; informational."),
  isAgentic: z.boolean().optional().describe("Informational (upstream: the engine's agents get A2A exposure)."),
});
export type ExecutionEngineSpec = z.output<typeof ExecutionEngineSpec>;

export const ExecutionEngineStatus = AddressStatus;
export type ExecutionEngineStatus = z.output<typeof ExecutionEngineStatus>;

export function admitExecutionEngine(spec: ExecutionEngineSpec, name: string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (name === RESERVED_EXECUTION_ENGINE_NAME) {
    errors.push(invalid("metadata.name", name, `execution engine name '${name}' is reserved for A2A servers`));
  }
  if (spec.source !== undefined) {
    errors.push(invalid("spec.source", "(template)", "dedicated engine instances from a template are not supported; run the engine yourself and set spec.address"));
  }
  return [...errors, ...checkValueSource(spec.address, "spec.address")];
}

export const executionEngineKind: KindDefinition<typeof ExecutionEngineSpec, typeof ExecutionEngineStatus> = {
  group: GROUP,
  version: "v1prealpha1",
  kind: "ExecutionEngine",
  listKind: "ExecutionEngineList",
  plural: "executionengines",
  singular: "executionengine",
  spec: ExecutionEngineSpec,
  status: ExecutionEngineStatus,
  printerColumns: [{ name: "Type", type: "string", jsonPath: ".spec.type" }, PHASE_COLUMN, ADDRESS_COLUMN, AGE_COLUMN],
  admit: ({ metadata, spec }) => admitExecutionEngine(spec, metadata.name),
};
