import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { checkHeaders } from "../admission/headers.js";
import { checkValueSource } from "../admission/value-source.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { Duration } from "../shared/duration.js";
import { Header } from "../shared/header.js";
import { ValueSource } from "../shared/value-source.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { ADDRESS_COLUMN, AGE_COLUMN, DISCOVERING_COLUMN, READY_COLUMN } from "./common.js";

export const A2AServerSpec = z.object({
  address: ValueSource.describe("Base URL of the A2A server; its agent card is read from /.well-known/."),
  headers: z.array(Header).optional().describe("Sent on agent-card discovery and JSON-RPC calls."),
  description: z.string().optional(),
  pollInterval: Duration.default("1m").describe("How often the agent card is rediscovered."),
});
export type A2AServerSpec = z.output<typeof A2AServerSpec>;

export const A2AServerStatus = z.object({
  lastResolvedAddress: z.string().optional(),
  ...reconcileStatusShape,
});
export type A2AServerStatus = z.output<typeof A2AServerStatus>;

export function admitA2AServer(spec: A2AServerSpec): FieldError[] {
  return [
    ...checkValueSource(spec.address, "spec.address"),
    ...checkHeaders(spec.headers, "spec.headers"),
    ...checkNonNegativeDuration(spec.pollInterval, "spec.pollInterval", "pollInterval"),
  ];
}

export const a2aServerKind: KindDefinition<typeof A2AServerSpec, typeof A2AServerStatus> = {
  group: GROUP,
  version: "v1prealpha1",
  kind: "A2AServer",
  listKind: "A2AServerList",
  plural: "a2aservers",
  singular: "a2aserver",
  spec: A2AServerSpec,
  status: A2AServerStatus,
  printerColumns: [READY_COLUMN, DISCOVERING_COLUMN, ADDRESS_COLUMN, AGE_COLUMN],
  admit: ({ spec }) => admitA2AServer(spec),
};
