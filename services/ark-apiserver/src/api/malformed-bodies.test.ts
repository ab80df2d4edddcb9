import { deepJsonText, sendFuzzRequests } from "@ark/testing";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { useApiServerSuite } from "../test-support/api-server.js";

// Found by e2e/fuzz-services.test.ts: each of these bodies was a 500.
describe.skipIf(!testPostgres())("malformed bodies", () => {
  const suite = useApiServerSuite("apiserver-malformed");

  async function post(path: string, body: string, contentType = "application/json") {
    const [outcome] = await sendFuzzRequests(
      { url: suite.server.url, ca: suite.server.caPem! },
      [
        {
          kind: "junk-body",
          method: "POST",
          path,
          headers: [
            ["authorization", `Bearer ${suite.server.token}`],
            ["content-type", contentType],
          ],
          body: Buffer.from(body),
        },
      ],
      { concurrency: 1, bodyIdleMs: 5_000 },
    );
    return { status: outcome!.status, message: outcome!.body };
  }

  it("refuses a body nested thousands of levels deep with 400 naming where (JSON.stringify overflowed the stack)", async () => {
    const deepSpec = `{"apiVersion":"ark.mckinsey.com/v1alpha1","kind":"Agent","metadata":{"name":"deep"},"spec":{"outputSchema":${deepJsonText(5_000, "object")}}}`;
    const refused = await post("/apis/ark.mckinsey.com/v1alpha1/namespaces/default/agents", deepSpec);
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/"the body of the request nests deeper than 100 levels at body\.spec\.outputSchema\.a\.a/);
    expect((await post("/api/v1/namespaces/default/configmaps", deepJsonText(50_000), "application/json")).status).toBe(400);
    expect((await post("/api/v1/namespaces/default/configmaps", `a: ${deepJsonText(5_000)}`, "application/yaml")).status).toBe(400);
  });

  it("refuses an owner reference whose uid is not a string with 422 naming the field (it reached the SQL text)", async () => {
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owned", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "o", uid: 0 }] } };
    const refused = await post("/api/v1/namespaces/default/configmaps", JSON.stringify(configMap));
    expect(refused.status).toBe(422);
    expect(refused.message).toContain("metadata.ownerReferences[0].uid");
    const agent = { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name: "owned", ownerReferences: "x" }, spec: {} };
    expect((await post("/apis/ark.mckinsey.com/v1alpha1/namespaces/default/agents", JSON.stringify(agent))).status).toBe(422);
  });
});
