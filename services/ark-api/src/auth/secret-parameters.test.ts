import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const ADMIN_KEY = "admin-key-for-tests-0123456789";
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe.skipIf(!testPostgres())("a query parameter reads a Secret only with the principal's Secret access", () => {
  let stack: TestStack;
  let url: string;
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...bearer(key), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const keyFor = async (body: Record<string, unknown>) => (await call("POST", "/v1/api-keys", ADMIN_KEY, body)).body.key as string;
  const leakingQuery = (name: string) => ({
    name,
    input: "repeat {{.k}}",
    target: { type: "model", name: "default" },
    parameters: [
      { name: "greeting", value: "hi" },
      { name: "k", valueFrom: { secretKeyRef: { name: "default-model-token", key: "token" } } },
    ],
  });

  beforeAll(async () => {
    stack = await startTestStack("ark-api-secret-parameters");
    url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY })).url;
    expect((await call("POST", "/v1/namespaces/default/secrets", ADMIN_KEY, { name: "default-model-token", string_data: { token: "sk-the-key" } })).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  it("refuses, with 403 naming the parameter, a query reading the default Model's Secret by a tenant without Secret access", async () => {
    const tenant = await keyFor({ name: "tenant", namespaces: ["default"] });
    const refused = await call("POST", "/v1/namespaces/default/queries", tenant, leakingQuery("leak"));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('spec.parameters[1].valueFrom ("k") reads secret "default-model-token"');
    expect((await stack.call("GET", "/v1/namespaces/default/queries/leak")).status).toBe(404);
    // Nor by an agent whose prompt renders it, nor by replacing a harmless query's parameters.
    const agent = await call("POST", "/v1/namespaces/default/agents", tenant, { name: "leaky", prompt: "{{.k}}", parameters: [{ name: "k", valueFrom: { secretKeyRef: { name: "default-model-token", key: "token" } } }] });
    expect(agent.status).toBe(403);
    expect((await call("POST", "/v1/namespaces/default/queries", tenant, { name: "plain", input: "hi", target: { type: "model", name: "default" } })).status).toBe(200);
    expect((await call("PUT", "/v1/namespaces/default/queries/plain", tenant, { parameters: leakingQuery("plain").parameters })).status).toBe(403);
  });

  it("allows it to a principal whose key grants Secret access in the namespace, and to the admin", async () => {
    const reader = await keyFor({ name: "reader", namespaces: ["default"], secretNamespaces: ["default"] });
    expect((await call("POST", "/v1/namespaces/default/queries", reader, leakingQuery("allowed"))).status).toBe(200);
    expect((await call("POST", "/v1/namespaces/default/queries", ADMIN_KEY, leakingQuery("by-admin"))).status).toBe(200);
  });

  it("never lets a key grant Secret access its creator lacks", async () => {
    const manager = await keyFor({ name: "manager", namespaces: ["*"] });
    const escalation = await call("POST", "/v1/api-keys", manager, { name: "escalate", namespaces: ["default"], secretNamespaces: ["default"] });
    expect(escalation.status).toBe(403);
    expect(escalation.body.error.message).toMatch(/may not read Secrets in namespace default/);
  });
});
