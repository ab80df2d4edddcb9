import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { trace } from "@opentelemetry/api";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load-config.js";
import { commonServiceConfig } from "../config/common.js";
import { createService } from "../http/create-service.js";
import { initTelemetry, telemetryOptions } from "./init-telemetry.js";
import { activeTraceId, traceHeaders, withSpan } from "./spans.js";
import { traceLogFields } from "./log-fields.js";

interface Received {
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: Buffer;
}

async function startOtlpReceiver() {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url ?? "", contentType: req.headers["content-type"], authorization: req.headers.authorization, body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(r)) };
}

describe("telemetry", () => {
  it("starts nothing without an endpoint: spans are no-ops, no trace headers, no log fields", async () => {
    const telemetry = await initTelemetry({ serviceName: "quiet" });
    expect(telemetry.enabled).toBe(false);
    await withSpan("noop", {}, (span) => {
      expect(span.isRecording()).toBe(false);
      expect(traceHeaders()).toEqual({});
      expect(traceLogFields()).toEqual({});
    });
  });

  it("rejects a malformed OTEL_EXPORTER_OTLP_HEADERS or sampler, naming the variable", () => {
    expect(() => loadConfig(commonServiceConfig, { PORT: "1", OTEL_EXPORTER_OTLP_HEADERS: "Authorization" })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS: expected key=value/);
    expect(() => loadConfig(commonServiceConfig, { PORT: "1", OTEL_TRACES_SAMPLER: "sometimes" })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig(commonServiceConfig, { PORT: "1", ARK_TRACE_CONTENT: "all" })).toThrow(/ARK_TRACE_CONTENT: expected one of none, truncated, full/);
  });

  describe("with an OTLP endpoint (the standard OTEL_* variables)", () => {
    let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
    afterAll(() => receiver?.close());

    it("exports http/protobuf with the headers, joins an incoming traceparent, and stamps log lines with the trace id", async () => {
      receiver = await startOtlpReceiver();
      const config = loadConfig(commonServiceConfig, {
        PORT: "0",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic%20cGs6c2s=,x-extra=1",
        OTEL_SERVICE_NAME: "ark-test-service",
      });
      const telemetry = await initTelemetry(telemetryOptions(config, "fallback-name"));
      expect(telemetry.enabled).toBe(true);

      // A service's handler runs inside the server span that continues the caller's trace.
      const lines: string[] = [];
      const logger = pino({ mixin: traceLogFields }, new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }));
      const service = createService({
        name: "traced",
        config: { ...config, PORT: 0 },
        register: (app) => {
          app.get("/v1/things/:id", async () => {
            logger.info("inside the handler");
            return withSpan("query.run", { "ark.query": "default/q1" }, () => ({ traceId: activeTraceId(), headers: traceHeaders() }));
          });
        },
      });
      const { url } = await service.start();
      const callerTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const response = await fetch(`${url}/v1/things/7`, { headers: { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` } });
      const answer = (await response.json()) as { traceId: string; headers: Record<string, string> };
      await service.stop();
      expect(answer.traceId).toBe(callerTraceId);
      expect(answer.headers.traceparent).toMatch(new RegExp(`^00-${callerTraceId}-[0-9a-f]{16}-01$`));
      expect(lines.some((l) => JSON.parse(l).trace_id === callerTraceId)).toBe(true);

      await expect(withSpan("tool.call", {}, async () => Promise.reject(new Error("tool exploded")))).rejects.toThrow("tool exploded");
      await telemetry.forceFlush();

      const traces = receiver.received.filter((r) => r.url === "/v1/traces");
      expect(traces.length).toBeGreaterThan(0);
      expect(traces[0]?.contentType).toBe("application/x-protobuf");
      expect(traces[0]?.authorization).toBe("Basic cGs6c2s=");
      const body = Buffer.concat(traces.map((t) => t.body)).toString("latin1");
      for (const text of ["query.run", "default/q1", "ark-test-service", "GET /v1/things/:id", "tool exploded"]) expect(body).toContain(text);
      expect(body).toContain(Buffer.from(callerTraceId, "hex").toString("latin1"));
      // Probes make no spans.
      expect(body).not.toContain("/health");
      await telemetry.shutdown();
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });
});
