export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (like OTEL_EXPORTER_OTLP_ENDPOINT); traces go to `<endpoint>/v1/traces`. Unset: no SDK at all. */
  endpoint?: string | undefined;
}

export interface Telemetry {
  readonly enabled: boolean;
  /** Exports what is buffered; call before asserting on exported spans. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

const disabled: Telemetry = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };

function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

/**
 * Starts the OpenTelemetry SDK with an OTLP/HTTP trace exporter when an endpoint is given. Without one nothing is
 * loaded and @opentelemetry/api's tracer stays the no-op, so tracing costs nothing when disabled.
 */
export async function initTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  if (!options.endpoint) return disabled;
  // Loaded only when enabled: the SDK is heavy and must not cost anything otherwise.
  const [{ NodeSDK, tracing }, { OTLPTraceExporter }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/semantic-conventions"),
  ]);
  const processor = new tracing.BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.endpoint) }));
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [processor],
    instrumentations: [],
    // Traces only: metrics are Prometheus (/metrics) and logs are pino on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    autoDetectResources: false,
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    forceFlush: () => processor.forceFlush(),
    shutdown: () => (stopped ??= sdk.shutdown()),
  };
}
