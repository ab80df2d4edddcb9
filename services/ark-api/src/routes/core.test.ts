import { createCoreClient } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

describe.skipIf(!testPostgres())("namespaces, secrets, events and system info", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack("ark-api-core");
  });
  afterAll(async () => stack?.close());

  it("lists and creates namespaces", async () => {
    expect((await stack.call("POST", "/v1/namespaces", { name: "team-a" })).body).toEqual({ name: "team-a" });
    const list = await stack.call("GET", "/v1/namespaces");
    expect(list.body.items).toEqual(expect.arrayContaining([{ name: "default" }, { name: "team-a" }]));
    expect((await stack.call("POST", "/v1/namespaces", { name: "Bad_NS" })).status).toBe(422);
    expect((await stack.call("POST", "/v1/namespaces", { name: "team-a" })).status).toBe(409);
  });

  it("stores secrets and never returns their values", async () => {
    const created = await stack.call("POST", "/v1/namespaces/default/secrets", { name: "openai", string_data: { token: "sk-secret-123", org: "acme" } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: "openai",
      type: "Opaque",
      secret_length: 17,
      keys: [
        { key: "org", length: 4 },
        { key: "token", length: 13 },
      ],
    });
    expect(JSON.stringify(created.body)).not.toContain("sk-secret");

    const updated = await stack.call("PUT", "/v1/namespaces/default/secrets/openai", { string_data: { token: "short" } });
    expect(updated.body.keys).toEqual([
      { key: "org", length: 4 },
      { key: "token", length: 5 },
    ]);
    const list = await stack.call("GET", "/v1/namespaces/default/secrets");
    expect(JSON.stringify(list.body)).not.toContain("short");
    expect(list.body.items.map((s: { name: string }) => s.name)).toContain("openai");

    expect((await stack.call("POST", "/v1/namespaces/default/secrets", { name: "empty", string_data: {} })).status).toBe(422);
    const bad = await stack.call("POST", "/v1/namespaces/default/secrets", { name: "bad", string_data: { token: 5 } });
    expect(bad.body.error.details[0].field).toBe("string_data");
    expect((await stack.call("DELETE", "/v1/namespaces/default/secrets/openai")).status).toBe(204);
    expect((await stack.call("GET", "/v1/namespaces/default/secrets/openai")).status).toBe(404);
  });

  it("lists events newest first, filtered and paged", async () => {
    const core = createCoreClient(stack.kubeConfig);
    for (const [name, type, minute] of [
      ["e1", "Normal", "01"],
      ["e2", "Warning", "02"],
      ["e3", "Warning", "03"],
    ] as const) {
      await core.api.createNamespacedEvent({
        namespace: "default",
        body: {
          metadata: { name, namespace: "default" },
          involvedObject: { kind: "Query", name: `weather-${name}`, namespace: "default" },
          reason: "Tested",
          message: `event ${name}`,
          type,
          firstTimestamp: new Date(`2026-01-01T00:${minute}:00Z`),
          lastTimestamp: new Date(`2026-01-01T00:${minute}:00Z`),
        },
      });
    }
    const warnings = await stack.call("GET", "/v1/namespaces/default/events?type=Warning&kind=Query&name=WEATHER");
    expect(warnings.body.total).toBe(2);
    expect(warnings.body.items[0]).toMatchObject({ type: "Warning", involved_object_kind: "Query", reason: "Tested" });
    const paged = await stack.call("GET", "/v1/namespaces/default/events?limit=1&page=3");
    expect(paged.body).toMatchObject({ total: 3, items: [expect.any(Object)] });
    expect((await stack.call("GET", "/v1/namespaces/default/events/e1")).body.message).toBe("event e1");
    expect((await stack.call("GET", "/v1/namespaces/default/events/nope")).status).toBe(404);
    expect((await stack.call("GET", "/v1/namespaces/default/events?limit=0")).status).toBe(422);
  });

  it("reports system info and serves OpenAPI and Swagger UI", async () => {
    const info = await stack.call("GET", "/v1/system-info");
    expect(info.body).toMatchObject({ system_version: "v0.1.0", kubernetes_version: expect.any(String) });
    const openapi = await stack.call("GET", "/openapi.json");
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(["/v1/namespaces/{namespace}/agents", "/v1/namespaces/{namespace}/queries/{name}/events", "/openai/v1/chat/completions"]));
    expect(openapi.body.paths["/v1/namespaces/{namespace}/agents"].post.requestBody.content["application/json"].schema.properties).toHaveProperty("modelRef");
    const prefixed = await stack.call("GET", "/openapi.json", undefined, { "x-forwarded-prefix": "/api" });
    expect(prefixed.body.servers).toEqual([{ url: "/api" }]);
    const docs = await fetch(`${stack.api.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("swagger");
  });
});
