import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { initTelemetry } from "./init-telemetry.js";

// A span the way a caller of the global tracer makes one, recording a thrown error.
function inSpan<T>(tracer: Tracer, name: string, attributes: Record<string, string>, fn: () => Promise<T> | T): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

interface Received {
  url: string;
  contentType: string | undefined;
  body: string;
}

async function startOtlpReceiver() {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url ?? "", contentType: req.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(r)) };
}

describe("telemetry", () => {
  it("starts nothing without an endpoint: spans are no-ops", async () => {
    const telemetry = await initTelemetry({ serviceName: "quiet" });
    expect(telemetry.enabled).toBe(false);
    const span = trace.getTracer("test").startSpan("noop");
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  describe("with an OTLP endpoint", () => {
    let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
    afterAll(() => receiver?.close());

    it("exports spans of the global tracer, with the service name and the recorded error", async () => {
      receiver = await startOtlpReceiver();
      const telemetry = await initTelemetry({ serviceName: "ark-test-service", endpoint: receiver.endpoint });
      const tracer = trace.getTracer("service-kit-test");
      await inSpan(tracer, "query.run", { "ark.query": "default/q1" }, async () => "ok");
      await expect(
        inSpan(tracer, "tool.call", {}, async () => {
          throw new Error("tool exploded");
        }),
      ).rejects.toThrow("tool exploded");
      await telemetry.forceFlush();
      await telemetry.shutdown();

      const traces = receiver.received.filter((r) => r.url === "/v1/traces");
      expect(traces.length).toBeGreaterThan(0);
      const body = traces.map((t) => t.body).join("\n");
      expect(body).toContain("query.run");
      expect(body).toContain("default/q1");
      expect(body).toContain("ark-test-service");
      expect(body).toContain("tool exploded");
    });
  });
});
