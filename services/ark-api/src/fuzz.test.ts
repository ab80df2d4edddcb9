import { fuzzSeed, seededRandom } from "@ark/testing";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./test-support/harness.js";

const REQUESTS = 2000;
const CONCURRENCY = 8;

const segments = ["agents", "models", "teams", "queries", "tools", "mcp-servers", "a2a-servers", "memories", "evaluators", "evaluations", "execution-engines", "secrets", "events"];
const fieldNames = [
  "name",
  "spec",
  "prompt",
  "modelRef",
  "tools",
  "members",
  "strategy",
  "input",
  "targets",
  "target",
  "type",
  "model",
  "config",
  "address",
  "string_data",
  "labels",
  "annotations",
  "messages",
  "stream",
  "namespaces",
  "description",
  "timeout",
  "ttl",
  "parameters",
  "selector",
  "http",
  "__proto__",
  "constructor",
  "",
];
const oddStrings = ["", "a", "UPPER", "x".repeat(300), "../../etc", "%00", "名前", "a b", "default", "agent/x", "team/", "0", "-1", "null", "{", "\u0000", "ok-name", "1e309"];

function fuzzCase(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const value = (depth: number): unknown => {
    const roll = random();
    if (depth > 3 || roll < 0.25) return pick<unknown>([null, true, false, 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, ...oddStrings]);
    if (roll < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(fieldNames), value(depth + 1)]));
  };
  const name = encodeURIComponent(pick(oddStrings)) || "x";
  const namespace = pick(["default", "default", "nope", "UPPER", "a".repeat(70), "%2e%2e"]);
  const segment = pick(segments);
  const path = pick([
    `/v1/namespaces/${namespace}/${segment}`,
    `/v1/namespaces/${namespace}/${segment}/${name}`,
    `/v1/namespaces/${namespace}/queries/${name}/cancel`,
    `/v1/namespaces`,
    `/v1/api-keys`,
    `/v1/api-keys/${name}`,
    `/v1/system-info`,
    `/openai/v1/chat/completions`,
    `/openai/v1/models`,
  ]);
  const query = pick(["", "?limit=abc", "?limit=0&page=-1", "?labelSelector=%3D%3D%3D", "?labelSelector=a%20in%20(", "?phase=weird", "?wait=forever", "?namespace=" + name, "?type=Bad"]);
  const method = pick(["GET", "POST", "POST", "PUT", "PUT", "PATCH", "DELETE"]);
  const bodyKind = random();
  let body: string | undefined;
  let contentType = "application/json";
  if (method === "GET" || method === "DELETE") body = undefined;
  else if (bodyKind < 0.1) body = "{not json";
  else if (bodyKind < 0.15) body = "[".repeat(2000);
  else if (bodyKind < 0.2) {
    body = "plain text";
    contentType = "text/plain";
  } else if (bodyKind < 0.25) body = JSON.stringify({ model: pick(["agent/x", "tool/", "model/a/b", 5]), messages: value(1), stream: pick([true, false, "yes"]) });
  else body = JSON.stringify({ name: pick(oddStrings), ...(value(0) as object) });
  return { method, url: path + query, body, contentType };
}

describe.skipIf(!testPostgres())("fuzzing the API with random and malformed requests", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack("ark-api-fuzz");
  });
  afterAll(async () => stack?.close());

  it(`answers ${REQUESTS} random requests without a 5xx and stays up`, { timeout: 600_000 }, async () => {
    const seed = fuzzSeed(20261125);
    const random = seededRandom(seed).next;
    const cases = Array.from({ length: REQUESTS }, () => fuzzCase(random));
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const response = await fetch(`${stack.api.url}${c.url}`, {
          method: c.method,
          ...(c.body === undefined ? {} : { body: c.body, headers: { "content-type": c.contentType } }),
        });
        await response.arrayBuffer();
        if (response.status >= 500) failures.push(`${response.status} ${c.method} ${c.url} ${c.body?.slice(0, 200) ?? ""}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures, `seed ${seed}`).toEqual([]);
    expect((await fetch(`${stack.api.url}/health`)).status).toBe(200);
  });

  it("answers random credentials with 401, never a 5xx, even when the JWKS is unreachable", async () => {
    const url = (await stack.startApi({ ARK_API_AUTH: "apikey,oidc", OIDC_JWKS_URL: "http://127.0.0.1:1/jwks.json", OIDC_ISSUER: "https://issuer.test", OIDC_AUDIENCE: "ark-api", AUTH_FAILURES_PER_MINUTE: "0" })).url;
    const random = seededRandom(42).next;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const credentials = () =>
      pick([
        "",
        "Bearer",
        "Bearer ",
        "Basic abc",
        `Bearer ark_${"0".repeat(16)}_${"x".repeat(32)}`,
        "Bearer ark_zz_short",
        `Bearer ${b64({ alg: "RS256", kid: "k" })}.${b64({ sub: "x" })}.sig`,
        `Bearer ${b64({ alg: "none" })}.${b64({})}.`,
        "Bearer a.b.c",
        `Bearer ${"a".repeat(5000)}`,
        `Bearer ${b64({ alg: pick(["HS256", "ES256", "bogus"]) })}.e30.AAAA`,
      ]);
    const statuses = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const authorization = credentials();
      const response = await fetch(`${url}${pick(["/v1/namespaces", "/v1/namespaces/default/agents", "/openai/v1/models", "/v1/api-keys"])}`, {
        headers: authorization ? { authorization } : {},
      });
      statuses.add(response.status);
    }
    expect([...statuses]).toEqual([401]);
  });
});
