import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upstreamRouteRewriter } from "../http/upstream-routes.js";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const ADMIN_KEY = "admin-key-for-tests-0123456789";
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("upstreamRouteRewriter", () => {
  const rewrite = upstreamRouteRewriter(new Set(["agents", "tool-approvals"]), "default");

  it("moves ?namespace= into the path and keeps the other query parameters", () => {
    expect(rewrite("/v1/agents?namespace=team-a&labelSelector=tier%3Dgold")).toBe("/v1/namespaces/team-a/agents?labelSelector=tier%3Dgold");
    expect(rewrite("/v1/tool-approvals/r1/approve?namespace=team-a")).toBe("/v1/namespaces/team-a/tool-approvals/r1/approve");
    expect(rewrite("/v1/agents")).toBe("/v1/namespaces/default/agents");
  });

  it("leaves every other route alone, and a namespace that is not one path segment stays one", () => {
    for (const url of ["/v1/namespaces/x/agents", "/v1/namespaces", "/v1/api-keys", "/openai/v1/models", "/v1/system-info?namespace=x"]) expect(rewrite(url)).toBe(url);
    expect(rewrite("/v1/agents?namespace=a%2Fb")).toBe("/v1/namespaces/a%2Fb/agents");
  });
});

// Upstream's clients call /v1/<kind>?namespace=<ns> (docs/upstream-compat.md §11.2); the same routes answer.
describe.skipIf(!testPostgres())("ark-api: upstream's route style next to /v1/namespaces/{ns}/<kind>", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack("ark-api-upstream-routes");
    expect((await stack.call("POST", "/v1/namespaces", { name: "team-a" })).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  it("creates, lists, reads, updates and deletes through /v1/<kind>?namespace=", async () => {
    const created = await stack.call("POST", "/v1/agents?namespace=team-a", { name: "helper", prompt: "You help." });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: "helper", namespace: "team-a", prompt: "You help." });
    // Both styles see the same object.
    expect((await stack.call("GET", "/v1/namespaces/team-a/agents/helper")).body).toMatchObject({ name: "helper" });
    const listed = await stack.call("GET", "/v1/agents?namespace=team-a");
    expect(listed.body.items.map((a: { name: string }) => a.name)).toEqual(["helper"]);
    expect((await stack.call("GET", "/v1/agents")).body.items).toEqual([]);
    expect((await stack.call("PUT", "/v1/agents/helper?namespace=team-a", { description: "updated" })).body).toMatchObject({ description: "updated" });
    expect((await stack.call("GET", "/v1/agents/helper?namespace=team-a")).body).toMatchObject({ description: "updated", prompt: "You help." });
    expect((await stack.call("DELETE", "/v1/agents/helper?namespace=team-a")).status).toBe(204);
    expect((await stack.call("GET", "/v1/agents/helper?namespace=team-a")).status).toBe(404);
  });

  it("takes upstream's newer Model body (provider, type completions, headers) and shows the provider", async () => {
    const body = {
      name: "gateway",
      provider: "openai",
      type: "completions",
      model: "gpt-4.1-mini",
      config: { openai: { apiKey: "sk-1", baseUrl: "http://gateway/v1", headers: [{ name: "X-Tenant", value: { value: "team-a" } }] }, azure: { apiKey: "x", baseUrl: "y" } },
    };
    const created = await stack.call("POST", "/v1/models?namespace=team-a", body);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: "gateway", provider: "openai", type: "completions", model: "gpt-4.1-mini" });
    const listed = await stack.call("GET", "/v1/models?namespace=team-a");
    expect(listed.body.items).toEqual([expect.objectContaining({ name: "gateway", provider: "openai", type: "completions" })]);
    // Only the provider's config is kept, its headers as written.
    expect(created.body.config).toEqual({ openai: { apiKey: { value: "sk-1" }, baseUrl: { value: "http://gateway/v1" }, headers: [{ name: "X-Tenant", value: { value: "team-a" } }] } });
  });

  it("without ?namespace= uses the default namespace; a malformed one is refused naming it", async () => {
    expect((await stack.call("POST", "/v1/teams", { name: "crew", members: [{ name: "a", type: "agent" }], strategy: "sequential" })).body).toMatchObject({ namespace: "default" });
    expect((await stack.call("GET", "/v1/namespaces/default/teams/crew")).status).toBe(200);
    const bad = await stack.call("GET", "/v1/teams?namespace=Team_A");
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("namespace");
  });

  it("is authenticated and bounded by the key's namespaces as the other style is", async () => {
    const url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY })).url;
    expect((await fetch(`${url}/v1/agents?namespace=team-a`)).status).toBe(401);
    const created = await fetch(`${url}/v1/api-keys`, { method: "POST", headers: { ...bearer(ADMIN_KEY), "content-type": "application/json" }, body: JSON.stringify({ name: "team", namespaces: ["team-a"] }) });
    const { key } = (await created.json()) as { key: string };
    expect((await fetch(`${url}/v1/agents?namespace=team-a`, { headers: bearer(key) })).status).toBe(200);
    expect((await fetch(`${url}/v1/agents?namespace=default`, { headers: bearer(key) })).status).toBe(403);
    expect((await fetch(`${url}/v1/agents`, { headers: bearer(key) })).status).toBe(403);
    const outside = await fetch(`${url}/v1/agents?namespace=default`, { method: "POST", headers: { ...bearer(key), "content-type": "application/json" }, body: JSON.stringify({ name: "sneaky", prompt: "x" }) });
    expect(outside.status).toBe(403);
    expect((await stack.call("GET", "/v1/namespaces/default/agents/sneaky")).status).toBe(404);
  });
});
