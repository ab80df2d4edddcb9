import { z } from "zod";
import { envEnum, envInt, envUrl } from "../config/env-types.js";

export const traceContentModes = ["none", "truncated", "full"] as const;
/** How much prompt and completion text spans carry (docs/architecture.md §9). */
export type TraceContentMode = (typeof traceContentModes)[number];

const traceSamplers = ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"] as const;
export type TraceSampler = (typeof traceSamplers)[number];

/** `key=value,key2=value2` (values URL-encoded), as OTEL_EXPORTER_OTLP_HEADERS is written. */
function otlpHeaders() {
  return z.string().transform((raw, ctx) => {
    const headers: Record<string, string> = {};
    for (const pair of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const eq = pair.indexOf("=");
      if (eq <= 0) {
        ctx.addIssue({ code: "custom", message: `expected key=value pairs separated by commas, got "${pair.slice(0, 40)}"` });
        return z.NEVER;
      }
      const key = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      try {
        headers[key] = decodeURIComponent(value);
      } catch {
        headers[key] = value;
      }
    }
    return headers;
  });
}

/** The standard OTEL_* variables a service reads (the OpenTelemetry SDK environment specification) and ARK_TRACE_CONTENT. */
export const telemetryConfigShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl({ protocols: ["http:", "https:"] }).optional(),
  /** Full traces URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envUrl({ protocols: ["http:", "https:"] }).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: envEnum(["http/protobuf", "http/json"] as const).default("http/protobuf"),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: envEnum(traceSamplers).optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** Milliseconds between batch exports. */
  OTEL_BSP_SCHEDULE_DELAY: envInt({ min: 1 }).optional(),
  ARK_TRACE_CONTENT: envEnum(traceContentModes).default("truncated"),
};

export interface TelemetryConfig {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_HEADERS?: Record<string, string> | undefined;
  OTEL_EXPORTER_OTLP_PROTOCOL?: "http/protobuf" | "http/json" | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
  OTEL_TRACES_SAMPLER?: TraceSampler | undefined;
  OTEL_TRACES_SAMPLER_ARG?: number | undefined;
  OTEL_BSP_SCHEDULE_DELAY?: number | undefined;
}
