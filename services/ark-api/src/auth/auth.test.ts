import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createArkClient } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const ADMIN_KEY = "admin-key-for-tests-0123456789";
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe.skipIf(!testPostgres())("authentication and authorization", () => {
  let stack: TestStack;
  let apiKeyUrl: string;
  let oidcUrl: string;
  let jwks: Server;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;

  const call = async (base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };

  beforeAll(async () => {
    stack = await startTestStack("ark-api-auth");
    await stack.call("POST", "/v1/namespaces", { name: "team-a" });
    apiKeyUrl = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY })).url;

    const pair = await generateKeyPair("RS256");
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair("RS256")).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
    jwks = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    oidcUrl = (await stack.startApi({ ARK_API_AUTH: "oidc", OIDC_JWKS_URL: jwksUrl, OIDC_ISSUER: "https://issuer.test", OIDC_AUDIENCE: "ark-api" })).url;
  });
  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  describe("API keys", () => {
    it("answers 401 without credentials or with an unknown key", async () => {
      const missing = await call(apiKeyUrl, "GET", "/v1/namespaces/default/agents");
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe("UNAUTHENTICATED");
      expect((await call(apiKeyUrl, "GET", "/v1/namespaces/default/agents", bearer("ark_0123456789abcdef_notarealkeynotarealkey"))).status).toBe(401);
      expect((await call(apiKeyUrl, "GET", "/v1/namespaces/default/agents", bearer("garbage"))).status).toBe(401);
      expect((await call(apiKeyUrl, "GET", "/health")).status).toBe(200);
      expect((await call(apiKeyUrl, "GET", "/openapi.json")).status).toBe(200);
    });

    it("scopes a key to its namespaces, shows it once, and stops accepting it when revoked", async () => {
      const created = await call(apiKeyUrl, "POST", "/v1/api-keys", bearer(ADMIN_KEY), { name: "ci", namespaces: ["team-a"] });
      expect(created.status).toBe(201);
      const { key, id } = created.body as { key: string; id: string };
      expect(key).toMatch(/^ark_/);

      expect((await call(apiKeyUrl, "GET", "/v1/namespaces/team-a/agents", bearer(key))).status).toBe(200);
      expect((await call(apiKeyUrl, "GET", "/v1/namespaces/team-a/agents", { "x-api-key": key })).status).toBe(200);
      const outside = await call(apiKeyUrl, "GET", "/v1/namespaces/default/agents", bearer(key));
      expect(outside.status).toBe(403);
      expect(outside.body.error.code).toBe("FORBIDDEN");
      expect((await call(apiKeyUrl, "GET", "/v1/namespaces", bearer(key))).body.items).toEqual([{ name: "team-a" }]);
      expect((await call(apiKeyUrl, "POST", "/v1/namespaces", bearer(key), { name: "grab" })).status).toBe(403);
      expect((await call(apiKeyUrl, "GET", "/v1/api-keys", bearer(key))).status).toBe(403);

      const openai = new OpenAI({ baseURL: `${apiKeyUrl}/openai/v1`, apiKey: key, maxRetries: 0 });
      const denied = await openai.models.list({ query: { namespace: "default" } }).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);

      const listed = await call(apiKeyUrl, "GET", "/v1/api-keys", bearer(ADMIN_KEY));
      expect(listed.body.items).toContainEqual(expect.objectContaining({ id, name: "ci", namespaces: ["team-a"] }));
      expect(JSON.stringify(listed.body)).not.toContain(key.slice(21));

      expect((await call(apiKeyUrl, "DELETE", `/v1/api-keys/${id}`, bearer(ADMIN_KEY))).status).toBe(204);
      expect((await call(apiKeyUrl, "GET", "/v1/namespaces/team-a/agents", bearer(key))).status).toBe(401);
      expect((await call(apiKeyUrl, "DELETE", `/v1/api-keys/${id}`, bearer(ADMIN_KEY))).status).toBe(404);
    });

    it("validates key requests with 422", async () => {
      const bad = await call(apiKeyUrl, "POST", "/v1/api-keys", bearer(ADMIN_KEY), { name: "", namespaces: [] });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(["body.name", "body.namespaces"]);
    });
  });

  describe("OIDC", () => {
    const token = (claims: Record<string, unknown>, options: { key?: CryptoKey; audience?: string; expires?: string | number } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setIssuer("https://issuer.test")
        .setAudience(options.audience ?? "ark-api")
        .setSubject("alice")
        .setIssuedAt()
        .setExpirationTime(options.expires ?? "5m")
        .sign(options.key ?? signingKey);

    it("accepts a token from the JWKS, scoped by its namespaces claim", async () => {
      const jwt = await token({ ark_namespaces: ["default"] });
      expect((await call(oidcUrl, "GET", "/v1/namespaces/default/agents", bearer(jwt))).status).toBe(200);
      expect((await call(oidcUrl, "GET", "/v1/namespaces/team-a/agents", bearer(jwt))).status).toBe(403);
    });

    it("refuses a wrong audience, an expired token, another key's signature and API keys", async () => {
      expect((await call(oidcUrl, "GET", "/v1/namespaces/default/agents", bearer(await token({ ark_namespaces: ["*"] }, { audience: "other" })))).status).toBe(401);
      const expired = await token({ ark_namespaces: ["*"] }, { expires: Math.floor(Date.now() / 1000) - 60 });
      expect((await call(oidcUrl, "GET", "/v1/namespaces/default/agents", bearer(expired))).status).toBe(401);
      expect((await call(oidcUrl, "GET", "/v1/namespaces/default/agents", bearer(await token({ ark_namespaces: ["*"] }, { key: otherKey })))).status).toBe(401);
      expect((await call(oidcUrl, "GET", "/v1/namespaces/default/agents")).status).toBe(401);
    });

    it("a tool approval request's approvers match the token's subject or its groups claim", async () => {
      const ark = createArkClient(stack.kubeConfig);
      const request = async (name: string, approvers: Array<{ user?: string; group?: string }>) => {
        await ark.toolApprovalRequests.create({
          metadata: { name, namespace: "default" },
          spec: {
            queryRef: { name: "q", namespace: "default" },
            toolCalls: [{ id: "c1", name: "pay", type: "http", arguments: "{}" }],
            approvers,
            executionContext: { conversationHistory: "W10=", pendingToolCallIndex: 0, agentName: "a", agentNamespace: "default" },
          },
        });
        return `/v1/namespaces/default/tool-approvals/${name}/approve`;
      };
      const alice = await token({ ark_namespaces: ["default"], groups: ["payments"] });
      const refused = await call(oidcUrl, "POST", await request("oidc-bob", [{ user: "bob" }, { group: "audit" }]), bearer(alice), {});
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain("only by its approvers (spec.approvers: user bob, group audit); oidc:alice is not one");
      expect((await call(oidcUrl, "POST", await request("oidc-payments", [{ group: "payments" }]), bearer(alice), {})).status).toBe(200);
      expect((await call(oidcUrl, "POST", await request("oidc-alice", [{ user: "alice" }]), bearer(alice), {})).status).toBe(200);
      expect((await ark.toolApprovalRequests.get("default", "oidc-alice"))?.status?.decision).toMatchObject({ decidedBy: "oidc:alice" });
    });
  });

  describe("rate limits, CORS and body size", () => {
    it("limits requests per key", async () => {
      const url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY, RATE_LIMIT_PER_MINUTE: "3" })).url;
      const key = (await call(apiKeyUrl, "POST", "/v1/api-keys", bearer(ADMIN_KEY), { name: "limited", namespaces: ["default"] })).body.key as string;
      for (let i = 0; i < 3; i++) expect((await call(url, "GET", "/v1/namespaces/default/agents", bearer(key))).status).toBe(200);
      const limited = await call(url, "GET", "/v1/namespaces/default/agents", bearer(key));
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("RATE_LIMITED");
      expect((await call(url, "GET", "/v1/namespaces/default/agents", bearer(ADMIN_KEY))).status).toBe(200);
    });

    it("allows only configured origins and rejects oversized bodies with 413", async () => {
      const url = (await stack.startApi({ CORS_ORIGINS: "http://dash.example", BODY_LIMIT_BYTES: "1000" })).url;
      const preflight = await fetch(`${url}/v1/namespaces/default/agents`, {
        method: "OPTIONS",
        headers: { origin: "http://dash.example", "access-control-request-method": "POST" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBe("http://dash.example");
      const other = await fetch(`${url}/v1/namespaces/default/agents`, { headers: { origin: "http://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      const big = await call(url, "POST", "/v1/namespaces/default/agents", {}, { name: "big", prompt: "x".repeat(2000) });
      expect(big.status).toBe(413);
    });
  });
});
