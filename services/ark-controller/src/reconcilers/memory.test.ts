import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Memory } from "@ark/kube";
import { testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useControllerSuite } from "../test-support/controller.js";
import { freshNamespace } from "../test-support/manifests.js";
import { probeMemoryService } from "./memory-probe.js";
import { freePort } from "@ark/service-kit";

/** A memory service stand-in answering 200 on the given paths and 404 elsewhere. */
async function startHealthServer(paths: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.writeHead(paths.includes(req.url ?? "") ? 200 : 404, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("probeMemoryService", () => {
  it("falls back to /health when the service has no /ready, and reports a service that is not ready", async () => {
    const healthOnly = await startHealthServer(["/health"]);
    const neither = await startHealthServer([]);
    try {
      expect(await probeMemoryService(`${healthOnly.url}/`, 2000)).toMatchObject({ ok: true, message: expect.stringContaining("GET /health") });
      expect(await probeMemoryService(neither.url, 2000)).toMatchObject({ ok: false, message: expect.stringContaining("GET /health answered 404") });
    } finally {
      await Promise.all([healthOnly.close(), neither.close()]);
    }
  });
});

describe.skipIf(!testPostgres())("Memory reconciler", () => {
  const suite = useControllerSuite();
  let service: Awaited<ReturnType<typeof startHealthServer>>;

  beforeAll(async () => {
    service = await startHealthServer(["/ready"]);
  });
  afterAll(async () => {
    await service?.close();
  });

  const available = (memory: Memory | undefined) => memory?.status?.conditions?.find((c) => c.type === "Available");
  /** The Memory once its Available condition is set, either way. */
  const probedMemory = (ns: string, name: string) =>
    vi.waitFor(async () => {
      const memory = await suite.stack.resources.ark.memories.get(ns, name);
      expect(available(memory), `memory ${ns}/${name}'s Available condition`).toBeDefined();
      return memory!;
    }, WITHIN_TEST_TIMEOUT);

  it("is Available with lastResolvedAddress when the service answers /ready (address from a ConfigMap)", async () => {
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.core.configMaps.create({ metadata: { name: "memory-url", namespace: ns }, data: { url: service.url } });
    await suite.stack.resources.ark.memories.create({
      metadata: { name: "default", namespace: ns },
      spec: { address: { valueFrom: { configMapKeyRef: { name: "memory-url", key: "url" } } } },
    });
    const memory = await probedMemory(ns, "default");
    expect(memory.status).toMatchObject({ phase: "ready", message: "Memory address resolved and validated", lastResolvedAddress: service.url });
    expect(available(memory)).toMatchObject({ status: "True", reason: "ProbeSucceeded" });
  });

  it("is not Available when nothing listens at the address, or the address does not resolve", async () => {
    const ns = await freshNamespace(suite.stack);
    const closed = `http://127.0.0.1:${await freePort()}`;
    await suite.stack.resources.ark.memories.create({ metadata: { name: "down", namespace: ns }, spec: { address: { value: closed } } });
    await suite.stack.resources.ark.memories.create({
      metadata: { name: "unresolved", namespace: ns },
      spec: { address: { valueFrom: { secretKeyRef: { name: "missing", key: "url" } } } },
    });

    const down = await probedMemory(ns, "down");
    expect(down.status).toMatchObject({ phase: "error", lastResolvedAddress: closed, message: expect.stringContaining("Memory service not available") });
    expect(available(down)).toMatchObject({ status: "False", reason: "ProbeFailed", message: expect.stringContaining("not reachable") });

    const unresolved = await probedMemory(ns, "unresolved");
    expect(unresolved.status).toMatchObject({ phase: "error", message: expect.stringMatching(/^Failed to resolve address: .*missing/) });
    expect(available(unresolved)).toMatchObject({ status: "False", reason: "AddressResolutionFailed" });
  });
});
