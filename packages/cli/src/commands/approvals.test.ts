import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createProgram } from "../program.js";

describe("ark approvals", () => {
  let server: Server;
  let url: string;
  const output: string[] = [];
  const posted: Array<{ path: string; body: unknown }> = [];
  const pending = { name: "pay-1a2b", query: "q1", phase: "pending", toolCalls: [{ name: "pay", arguments: '{"amount":500}' }] };
  const decided = { ...pending, name: "pay-old", phase: "rejected", decision: { action: "rejected", decidedBy: "bob", reason: "too much" } };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? "";
      const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.method === "GET" && path === "/v1/namespaces/team/tool-approvals?phase=pending") return send(200, { items: [pending] });
      if (req.method === "GET" && path === "/v1/namespaces/team/tool-approvals") return send(200, { items: [pending, decided] });
      const decide = /^\/v1\/namespaces\/team\/tool-approvals\/([a-z0-9-]+)\/(approve|reject)$/.exec(path);
      if (req.method === "POST" && decide) {
        let text = "";
        req.on("data", (chunk) => (text += String(chunk)));
        req.on("end", () => {
          posted.push({ path, body: JSON.parse(text || "{}") });
          if (decide[1] === "pay-old") return send(409, { error: { code: "CONFLICT", message: "ToolApprovalRequest team/pay-old is already rejected" } });
          send(200, { ...pending, phase: "pending", decision: { action: decide[2] === "approve" ? "approved" : "rejected", decidedBy: "me" } });
        });
        return;
      }
      send(404, {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  });
  afterEach(() => {
    output.length = 0;
    posted.length = 0;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const ark = async (...args: string[]) => {
    await createProgram().parseAsync(["node", "ark", "-s", url, "-n", "team", "--api-key", "k", ...args]);
    return output.join("").split("\n").filter(Boolean);
  };

  it("lists the pending requests with their query and calls; --all adds decided ones with who decided", async () => {
    const lines = await ark("approvals", "list");
    expect(lines[0]!.split(/\s{2,}/)).toEqual(["NAME", "QUERY", "PHASE", "CALLS", "DECIDED BY"]);
    expect(lines[1]).toMatch(/^pay-1a2b\s+q1\s+pending\s+pay\(\{"amount":500\}\)\s+-$/);
    expect(lines).toHaveLength(2);
    output.length = 0;
    expect((await ark("approvals", "list", "--all")).find((l) => l.startsWith("pay-old"))).toContain("bob (too much)");
  });

  it("approves with a reason and replacement arguments, and rejects with a reason", async () => {
    expect(await ark("approvals", "approve", "pay-1a2b", "--reason", "fine", "--arguments", '{"amount":50}')).toEqual(["pay-1a2b approved; query q1 resumes"]);
    output.length = 0;
    await ark("approvals", "reject", "pay-1a2b", "--reason", "no");
    expect(posted).toEqual([
      { path: "/v1/namespaces/team/tool-approvals/pay-1a2b/approve", body: { reason: "fine", arguments: { amount: 50 } } },
      { path: "/v1/namespaces/team/tool-approvals/pay-1a2b/reject", body: { reason: "no" } },
    ]);
  });

  it("says why a decision is refused, and refuses arguments that are not a JSON object", async () => {
    await expect(ark("approvals", "reject", "pay-old")).rejects.toThrow("already rejected");
    await expect(ark("approvals", "approve", "pay-1a2b", "--arguments", "[1]")).rejects.toThrow("--arguments: must be a JSON object");
    expect(posted.map((p) => p.path)).toEqual(["/v1/namespaces/team/tool-approvals/pay-old/reject"]);
  });
});
