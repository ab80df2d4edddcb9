import type { HttpToolSpec } from "@ark/types";
import { formatGoValue, goQueryEscape } from "@ark/gotemplate";
import { renderTemplate } from "../prompt-template.js";
import { defaultEgressGuard, type EgressGuard, findEgressRefusal } from "./egress.js";
import { sendHttpToolRequest } from "./http-request.js";
import { isJsonBody, printJsonValue } from "./json-body.js";
import type { Tool } from "./tool.js";

export const DEFAULT_HTTP_TOOL_TIMEOUT_MS = 30_000;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

export interface HttpToolDefinition {
  /** The Tool resource: its name is the function name the model calls. */
  namespace: string;
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  http: HttpToolSpec;
  /** `spec.http.headers`, values already read (Secrets included). */
  headers?: Record<string, string>;
  /** `spec.http.bodyParameters`, already resolved. */
  bodyParameters?: Record<string, string>;
}

/** A Tool of type http (docs/upstream-compat.md §7.3, with the 1 MiB cap and egress rules of docs/architecture.md §7.7). */
export function createHttpTool(definition: HttpToolDefinition, guard: EgressGuard = defaultEgressGuard): Tool {
  const { http } = definition;
  const where = `tool ${definition.namespace}/${definition.name}`;
  const method = (http.method ?? "GET").toUpperCase();
  const timeoutMs = parseToolTimeout(http.timeout);
  // Tool-call arguments come from the model (and so from whatever it read): in a JSON body they stay values.
  const printer = http.body && isJsonBody(http.body, definition.headers ?? {}) ? printJsonValue : undefined;
  return {
    kind: "http",
    definition: {
      type: "function",
      function: {
        name: definition.name,
        description: definition.description || `HTTP request to ${http.url}`,
        parameters: definition.inputSchema ?? { type: "object", properties: {} },
      },
    },
    async execute(rawArguments, context) {
      const args = parseArguments(rawArguments);
      const url = new URL(expandUrl(http.url, args));
      const body = http.body && BODY_METHODS.has(method) ? renderTemplate(http.body, { ...definition.bodyParameters, input: args }, `${where} spec.http.body`, printer) : undefined;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
      let response;
      try {
        response = await sendHttpToolRequest({ url, method, headers: definition.headers ?? {}, body, signal, guard });
      } catch (error) {
        if (context.signal?.aborted) throw error;
        if (timeout.aborted) throw new Error(`request to ${url.origin} timed out after ${timeoutMs / 1000}s`);
        const refusal = findEgressRefusal(error);
        if (refusal) throw refusal;
        throw new Error(`failed to fetch URL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      if (response.status >= 400) throw new Error(`HTTP error ${response.status}: ${response.statusText}`);
      return { content: response.text };
    },
  };
}

/** `30s`, `2m`, `1h`, `500ms`, or a bare number of seconds; anything else is the 30 s default. */
export function parseToolTimeout(timeout: string | undefined): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(timeout?.trim() ?? "");
  if (!match) return DEFAULT_HTTP_TOOL_TIMEOUT_MS;
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? "s"]!;
  const ms = Number(match[1]) * unitMs;
  return ms > 0 ? ms : DEFAULT_HTTP_TOOL_TIMEOUT_MS;
}

/** Every `{key}` with a matching argument → the Go `url.QueryEscape` of its `%v`; others stay as written. */
export function expandUrl(template: string, args: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (placeholder, key: string) => (Object.hasOwn(args, key) ? goQueryEscape(formatGoValue(args[key])) : placeholder));
}

function parseArguments(raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`failed to parse arguments: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("failed to parse arguments: not a JSON object");
  return value as Record<string, unknown>;
}
