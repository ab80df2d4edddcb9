import type { Sampler } from "@opentelemetry/sdk-trace-base";
import type { TelemetryConfig, TraceSampler } from "./telemetry-config.js";
import { markTracingEnabled } from "./tracing-state.js";

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (like OTEL_EXPORTER_OTLP_ENDPOINT); traces go to `<endpoint>/v1/traces`. Unset: no SDK at all. */
  endpoint?: string | undefined;
  /** The full traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); wins over `endpoint`. */
  tracesEndpoint?: string | undefined;
  /** Sent with every export (OTEL_EXPORTER_OTLP_HEADERS), e.g. Langfuse's `Authorization: Basic …`. */
  headers?: Record<string, string> | undefined;
  /** OTEL_EXPORTER_OTLP_PROTOCOL; default http/protobuf. */
  protocol?: "http/protobuf" | "http/json" | undefined;
  sampler?: TraceSampler | undefined;
  samplerArg?: number | undefined;
  /** OTEL_BSP_SCHEDULE_DELAY: milliseconds between batch exports (default 5000). */
  exportDelayMs?: number | undefined;
}

export interface Telemetry {
  readonly enabled: boolean;
  /** Exports what is buffered; call before asserting on exported spans. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

const disabled: Telemetry = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };

/** The options of initTelemetry from a service's config (the standard OTEL_* variables). */
export function telemetryOptions(config: TelemetryConfig, serviceName: string): TelemetryOptions {
  return {
    serviceName: config.OTEL_SERVICE_NAME ?? serviceName,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    tracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    headers: config.OTEL_EXPORTER_OTLP_HEADERS,
    protocol: config.OTEL_EXPORTER_OTLP_PROTOCOL,
    sampler: config.OTEL_TRACES_SAMPLER,
    samplerArg: config.OTEL_TRACES_SAMPLER_ARG,
    exportDelayMs: config.OTEL_BSP_SCHEDULE_DELAY,
  };
}

function tracesUrl(options: TelemetryOptions): string | undefined {
  if (options.tracesEndpoint) return options.tracesEndpoint;
  return options.endpoint ? `${options.endpoint.replace(/\/+$/, "")}/v1/traces` : undefined;
}

let running: Telemetry | undefined;

/**
 * Starts the OpenTelemetry SDK with an OTLP/HTTP trace exporter when an endpoint is given. Without one nothing is
 * loaded and @opentelemetry/api's tracer stays the no-op, so tracing costs nothing when disabled. Once per process:
 * a second call (several services in `ark dev`) gets the first one's SDK.
 */
export async function initTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const url = tracesUrl(options);
  if (!url) return disabled;
  if (running) return running;
  // Loaded only when enabled: the SDK is heavy and must not cost anything otherwise.
  const [{ NodeSDK, tracing }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }, { W3CTraceContextPropagator }] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/semantic-conventions"),
    import("@opentelemetry/core"),
  ]);
  const exporterOptions = { url, headers: options.headers ?? {} };
  const exporter =
    options.protocol === "http/json"
      ? new (await import("@opentelemetry/exporter-trace-otlp-http")).OTLPTraceExporter(exporterOptions)
      : new (await import("@opentelemetry/exporter-trace-otlp-proto")).OTLPTraceExporter(exporterOptions);
  const processor = new tracing.BatchSpanProcessor(exporter, options.exportDelayMs ? { scheduledDelayMillis: options.exportDelayMs } : {});
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [processor],
    sampler: buildSampler(tracing, options.sampler, options.samplerArg),
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [],
    // Traces only: metrics are Prometheus (/metrics) and logs are pino on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    autoDetectResources: false,
  });
  sdk.start();
  markTracingEnabled(true);
  let stopped: Promise<void> | undefined;
  running = {
    enabled: true,
    forceFlush: () => processor.forceFlush(),
    shutdown: () =>
      (stopped ??= sdk.shutdown().finally(() => {
        markTracingEnabled(false);
        running = undefined;
      })),
  };
  return running;
}

type Samplers = typeof import("@opentelemetry/sdk-trace-base");

function buildSampler(t: Samplers, name: TraceSampler | undefined, arg: number | undefined): Sampler {
  const ratio = () => new t.TraceIdRatioBasedSampler(arg ?? 1);
  switch (name) {
    case "always_on":
      return new t.AlwaysOnSampler();
    case "always_off":
      return new t.AlwaysOffSampler();
    case "traceidratio":
      return ratio();
    case "parentbased_always_off":
      return new t.ParentBasedSampler({ root: new t.AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new t.ParentBasedSampler({ root: ratio() });
    default:
      return new t.ParentBasedSampler({ root: new t.AlwaysOnSampler() });
  }
}
