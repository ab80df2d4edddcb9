import { request } from "node:https";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { useApiServerSuite } from "../test-support/api-server.js";

const AGENTS = "/apis/ark.mckinsey.com/v1alpha1/namespaces/default/agents";

// Names, namespaces and labels with control characters: kubernetes-rules.test.ts.
describe.skipIf(!testPostgres())("control characters in fieldManager, non-Latin-1 unknown fields", () => {
  const suite = useApiServerSuite("apiserver-control-chars");

  function post(path: string, body: unknown): Promise<{ status: number; text: string; warning: string | undefined }> {
    return new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const headers = { authorization: `Bearer ${suite.server.token}`, "content-type": "application/json" };
      const req = request(`${suite.server.url}${path}`, { method: "POST", ca: suite.server.caPem, headers }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        res.on("end", () => {
          const warning = res.headers.warning;
          resolve({ status: res.statusCode ?? 0, text, warning: Array.isArray(warning) ? warning.join(", ") : warning });
        });
      });
      req.on("error", reject);
      req.end(payload);
    });
  }
  const agent = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name }, spec });

  it("refuses a fieldManager with a control character with 422 naming it, as Kubernetes does", async () => {
    for (const manager of ["me\u0000you", "tab\there"]) {
      const refused = await post(`${AGENTS}?fieldManager=${encodeURIComponent(manager)}`, agent("managed"));
      expect(refused.status, JSON.stringify(manager)).toBe(422);
      expect(refused.text).toContain("fieldManager");
    }
    expect((await post(`${AGENTS}?fieldManager=${"m".repeat(129)}`, agent("managed"))).status).toBe(422);
    expect((await post(`${AGENTS}?fieldManager=kubectl-client-side-apply`, agent("managed"))).status).toBe(201);
  });

  it("warns about an unknown field whose name is not Latin-1 with a valid header, and creates the object", async () => {
    const created = await post(AGENTS, agent("unicode-field", { "promptè€": "x", 名前: "y" }));
    expect(created.status).toBe(201);
    expect(created.warning).toMatch(/unknown field/);
  });
});
