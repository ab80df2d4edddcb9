import { createHash, randomBytes } from "node:crypto";
import { createCoreClient } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const ADMIN_KEY = "admin-key-for-tests-0123456789";
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A key and the Secret an attacker writes for it, in the shape the store reads. */
function forgedKey(overrides: { labels?: Record<string, string>; type?: string; data?: Record<string, string> } = {}) {
  const id = randomBytes(8).toString("hex");
  const key = `ark_${id}_${randomBytes(24).toString("base64url")}`;
  const stringData = { hash: sha256(key), name: "forged", namespaces: JSON.stringify(["*"]), createdAt: new Date().toISOString(), ...overrides.data };
  return { id, key, stringData, labels: overrides.labels ?? { "ark.mckinsey.com/api-key": "true" }, type: overrides.type ?? "Opaque" };
}

describe.skipIf(!testPostgres())("forged API keys are rejected", () => {
  let stack: TestStack;
  let url: string;
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    stack = await startTestStack("ark-api-forged-key");
    await stack.call("POST", "/v1/namespaces", { name: "ark-system" });
    url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY })).url;
  });
  afterAll(async () => stack?.close());

  it("refuses a key Secret written directly through the Kubernetes API, whatever it imitates", async () => {
    const core = createCoreClient(stack.kubeConfig);
    const forgeries = [
      forgedKey(),
      forgedKey({ labels: { "ark.mckinsey.com/api-key": "true", "app.kubernetes.io/managed-by": "ark-api" } }),
      forgedKey({ type: "ark.mckinsey.com/api-key" }),
      forgedKey({ type: "ark.mckinsey.com/api-key", labels: { "ark.mckinsey.com/api-key": "true", "app.kubernetes.io/managed-by": "ark-api" }, data: { namespaces: "[1]" } }),
      forgedKey({ type: "ark.mckinsey.com/api-key", labels: { "ark.mckinsey.com/api-key": "true", "app.kubernetes.io/managed-by": "ark-api" }, data: { name: "expired", expiresAt: "2020-01-01T00:00:00Z" } }),
    ];
    for (const forged of forgeries) {
      await core.secrets.create({ metadata: { name: `ark-api-key-${forged.id}`, namespace: "ark-system", labels: forged.labels }, type: forged.type, stringData: forged.stringData });
      const answer = await call("GET", "/v1/namespaces/default/agents", bearer(forged.key));
      expect(answer.status, JSON.stringify(forged.labels) + forged.type).toBe(401);
    }
    const listed = await call("GET", "/v1/api-keys", bearer(ADMIN_KEY));
    expect(listed.body.items.map((k: { name: string }) => k.name)).not.toContain("forged");
    expect((await call("DELETE", `/v1/api-keys/${forgeries[0]!.id}`, bearer(ADMIN_KEY))).status).toBe(404);
  });

  it("accepts keys it created, with their expiry", async () => {
    const created = await call("POST", "/v1/api-keys", bearer(ADMIN_KEY), { name: "short", namespaces: ["default"], expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect(created.status).toBe(201);
    expect((await call("GET", "/v1/namespaces/default/agents", bearer(created.body.key))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await call("GET", "/v1/namespaces/default/agents", bearer(created.body.key))).status).toBe(401);
    const past = await call("POST", "/v1/api-keys", bearer(ADMIN_KEY), { name: "past", namespaces: ["default"], expiresAt: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(422);
    expect(past.body.error.details[0].field).toBe("body.expiresAt");
  });

  it("refuses key records through the secrets route: the key namespace, reserved names and types", async () => {
    const tenant = (await call("POST", "/v1/api-keys", bearer(ADMIN_KEY), { name: "system-tenant", namespaces: ["ark-system", "default"] })).body.key as string;
    const forged = forgedKey();
    const inKeyNamespace = await call("POST", "/v1/namespaces/ark-system/secrets", bearer(tenant), { name: `ark-api-key-${forged.id}`, string_data: forged.stringData });
    expect(inKeyNamespace.status).toBe(403);
    expect(inKeyNamespace.body.error.message).toMatch(/ark-system holds API keys/);
    expect((await call("GET", "/v1/namespaces/default/agents", bearer(forged.key))).status).toBe(401);

    const reservedName = await call("POST", "/v1/namespaces/default/secrets", bearer(ADMIN_KEY), { name: `ark-api-key-${forged.id}`, string_data: forged.stringData });
    expect(reservedName.status).toBe(403);
    expect(reservedName.body.error.message).toMatch(/reserved for API keys/);
    for (const type of ["ark.mckinsey.com/api-key", "kubernetes.io/service-account-token"]) {
      const reservedType = await call("POST", "/v1/namespaces/default/secrets", bearer(ADMIN_KEY), { name: "innocent", type, string_data: { a: "b" } });
      expect(reservedType.status).toBe(403);
      expect(reservedType.body.error.message).toContain(`type ${type} is reserved`);
    }

    const real = (await call("POST", "/v1/api-keys", bearer(ADMIN_KEY), { name: "real", namespaces: ["default"] })).body as { id: string; key: string };
    expect((await call("PUT", `/v1/namespaces/ark-system/secrets/ark-api-key-${real.id}`, bearer(ADMIN_KEY), { string_data: { namespaces: '["*"]' } })).status).toBe(403);
    expect((await call("DELETE", `/v1/namespaces/ark-system/secrets/ark-api-key-${real.id}`, bearer(ADMIN_KEY))).status).toBe(403);
    expect((await call("GET", "/v1/namespaces/ark-system/secrets", bearer(ADMIN_KEY))).body.items).toEqual([]);
    expect((await call("GET", "/v1/namespaces/default/agents", bearer(real.key))).status).toBe(200);
  });
});
