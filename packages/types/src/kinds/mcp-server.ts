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
import { AGE_COLUMN, DISCOVERING_COLUMN, READY_COLUMN } from "./common.js";

export const MCPServerSpec = z.object({
  address: ValueSource.describe("URL of the MCP endpoint, including its path (e.g. /mcp or /sse)."),
  headers: z.array(Header).optional().describe("Sent on every MCP request."),
  timeout: Duration.default("30s").describe("Timeout of MCP requests."),
  transport: z.enum(["http", "sse"]).default("http").describe("http is MCP Streamable HTTP; sse is the legacy SSE transport."),
  description: z.string().optional(),
  pollInterval: Duration.default("1m").describe("How often tools are rediscovered."),
});
export type MCPServerSpec = z.output<typeof MCPServerSpec>;

export const MCPServerStatus = z.object({
  resolvedAddress: z.string().optional(),
  toolCount: z.int().min(0).optional(),
  ...reconcileStatusShape,
});
export type MCPServerStatus = z.output<typeof MCPServerStatus>;

export function admitMCPServer(spec: MCPServerSpec): FieldError[] {
  return [
    ...checkValueSource(spec.address, "spec.address"),
    ...checkHeaders(spec.headers, "spec.headers"),
    ...checkNonNegativeDuration(spec.timeout, "spec.timeout", "timeout"),
    ...checkNonNegativeDuration(spec.pollInterval, "spec.pollInterval", "pollInterval"),
  ];
}

export const mcpServerKind: KindDefinition<typeof MCPServerSpec, typeof MCPServerStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "MCPServer",
  listKind: "MCPServerList",
  plural: "mcpservers",
  singular: "mcpserver",
  spec: MCPServerSpec,
  status: MCPServerStatus,
  printerColumns: [READY_COLUMN, DISCOVERING_COLUMN, { name: "Tools", type: "integer", jsonPath: ".status.toolCount" }, AGE_COLUMN],
  admit: ({ spec }) => admitMCPServer(spec),
};
