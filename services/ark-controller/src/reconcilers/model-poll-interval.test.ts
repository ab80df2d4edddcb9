import type { Model } from "@ark/kube";
import { type RecordingServer, startRecordingServer } from "@ark/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelReconciler } from "./model.js";

const ANSWER = { choices: [{ message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }], usage: {} };
const CONTROLLER_INTERVAL_MS = 300_000;

describe("Model spec.pollInterval", () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(ANSWER)));
  });
  afterAll(() => server.close());

  function reconcilerFor(pollInterval: string | undefined) {
    const model = {
      metadata: { namespace: "ai", name: "m", uid: "u1", generation: 1 },
      spec: {
        provider: "openai",
        type: "completions",
        model: { value: "m" },
        config: { openai: { baseUrl: { value: `${server.url}/v1` }, apiKey: { value: "k" } } },
        ...(pollInterval !== undefined ? { pollInterval } : {}),
      },
    } as unknown as Model;
    const models = {
      async patchStatus(_ns: string, _name: string, patch: Model["status"]) {
        model.status = { ...model.status, ...patch };
        return model;
      },
    };
    const reconcile = modelReconciler({
      models: { get: () => model } as never,
      resources: { resolveValueSource: async (s: { value?: string }) => s.value ?? "", ark: { models } } as never,
      events: { record: async () => undefined } as never,
      probeIntervalMs: CONTROLLER_INTERVAL_MS,
      probeTimeoutMs: 5_000,
    });
    return () => reconcile("ai/m");
  }

  it("sets when the model is probed again; without it the controller's interval applies", async () => {
    expect(await reconcilerFor("30s")()).toEqual({ requeueAfter: 30_000 });
    expect(await reconcilerFor(undefined)()).toEqual({ requeueAfter: CONTROLLER_INTERVAL_MS });
  });

  it("0 probes only on a change, and a reconcile in between does not probe", async () => {
    const reconcile = reconcilerFor("0");
    server.reset();
    expect(await reconcile()).toBeUndefined();
    expect(await reconcile()).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});
