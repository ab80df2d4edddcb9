import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { Condition } from "../shared/condition.js";
import { Duration } from "../shared/duration.js";
import type { KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const A2ATaskPart = z.object({
  kind: z.enum(["text", "file", "data"]).describe("text, file (uri) or data (base64)."),
  text: z.string().optional(),
  data: z.string().optional().describe("Base64 content when kind is data."),
  mimeType: z.string().optional(),
  uri: z.string().optional().describe("The file's address when kind is file."),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type A2ATaskPart = z.output<typeof A2ATaskPart>;

export const A2ATaskMessage = z.object({
  messageId: z.string().optional(),
  role: z.enum(["user", "agent", "system"]),
  parts: z.array(A2ATaskPart),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type A2ATaskMessage = z.output<typeof A2ATaskMessage>;

export const A2ATaskArtifact = z.object({
  artifactId: z.string().min(1),
  name: z.string().optional(),
  description: z.string().optional(),
  parts: z.array(A2ATaskPart),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type A2ATaskArtifact = z.output<typeof A2ATaskArtifact>;

export const A2ATaskSpec = z.object({
  queryRef: z.object({ name: z.string().min(1), namespace: z.string().optional() }).describe("The Query whose run started the task."),
  a2aServerRef: z.object({ name: z.string().min(1), namespace: z.string().optional() }).describe("The A2AServer the task runs on."),
  agentRef: z.object({ name: z.string().optional(), namespace: z.string().optional() }).describe("The Agent (executionEngine a2a) the task runs for."),
  taskId: z.string().min(1).describe("The remote task's id (A2A protocol)."),
  contextId: z.string().optional().describe("The A2A conversation context."),
  input: z.string().optional().describe("The user input sent."),
  parameters: z.record(z.string(), z.string()).optional(),
  priority: z.int().optional(),
  timeout: Duration.optional().describe("Upstream: how long it polls the remote for the task's end (12h)."),
  ttl: Duration.optional().describe("Upstream: how long the record is kept after the task ends (720h)."),
  pollInterval: Duration.optional().describe("Upstream: how often it polls the remote (5s)."),
});
export type A2ATaskSpec = z.output<typeof A2ATaskSpec>;

export const A2A_TASK_PHASES = ["pending", "assigned", "running", "input-required", "auth-required", "completed", "failed", "cancelled", "unknown"] as const;
export type A2ATaskPhase = (typeof A2A_TASK_PHASES)[number];
export const A2A_TASK_PROTOCOL_STATES = ["submitted", "working", "input-required", "completed", "canceled", "failed", "rejected", "auth-required", "unknown"] as const;
export type A2ATaskProtocolState = (typeof A2A_TASK_PROTOCOL_STATES)[number];

export const A2ATaskStatus = z.object({
  phase: z.enum(A2A_TASK_PHASES).optional(),
  conditions: z.array(Condition).optional().describe("Completed: True once the task no longer runs."),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  error: z.string().optional(),
  protocolState: z.enum(A2A_TASK_PROTOCOL_STATES).optional(),
  contextId: z.string().optional(),
  artifacts: z.array(A2ATaskArtifact).optional(),
  history: z.array(A2ATaskMessage).optional(),
  protocolMetadata: z.record(z.string(), z.string()).optional(),
  lastStatusMessage: A2ATaskMessage.optional(),
  lastStatusTimestamp: z.string().optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type A2ATaskStatus = z.output<typeof A2ATaskStatus>;

/** Label on an A2ATask naming its Query. */
export const A2A_TASK_QUERY_LABEL = `${GROUP}/query`;

/** The record of a remote A2A task a query's A2A agent ran (upstream's kind; docs/upstream-compat.md §6.7.2). */
export const a2aTaskKind: KindDefinition<typeof A2ATaskSpec, typeof A2ATaskStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "A2ATask",
  listKind: "A2ATaskList",
  plural: "a2atasks",
  singular: "a2atask",
  spec: A2ATaskSpec,
  status: A2ATaskStatus,
  printerColumns: [{ name: "Query", type: "string", jsonPath: ".spec.queryRef.name" }, { name: "Agent", type: "string", jsonPath: ".spec.agentRef.name" }, PHASE_COLUMN, AGE_COLUMN],
  admit: ({ spec }) => [
    ...checkNonNegativeDuration(spec.timeout, "spec.timeout", "timeout"),
    ...checkNonNegativeDuration(spec.ttl, "spec.ttl", "ttl"),
    ...checkNonNegativeDuration(spec.pollInterval, "spec.pollInterval", "pollInterval"),
  ],
};
