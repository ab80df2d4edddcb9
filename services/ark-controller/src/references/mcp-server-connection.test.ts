import type { MCPServer } from "@ark/kube";
import { describe, expect, it } from "vitest";
import { mcpServerConnection } from "./mcp-server-connection.js";

// Upstream's newer MCPServer headers: values, Secrets, ConfigMaps and the query's parameters (docs/upstream-compat.md §1.5).
const server = {
  metadata: { namespace: "tools", name: "github" },
  spec: {
    address: { value: "http://mcp.tools:8080/mcp" },
    transport: "http",
    headers: [
      { name: "Authorization", value: { valueFrom: { secretKeyRef: { name: "github", key: "token" } } } },
      { name: "X-Org", value: { valueFrom: { configMapKeyRef: { name: "github-cfg", key: "org" } } } },
      { name: "X-User", value: { valueFrom: { queryParameterRef: { name: "user" } } } },
    ],
  },
} as unknown as MCPServer;

const resources = {
  resolveValueSource: async (source: { value?: string }) => source.value ?? "",
  values: {
    getSecret: async (ns: string, name: string) => (ns === "tools" && name === "github" ? { data: { token: Buffer.from("Bearer gh").toString("base64") } } : undefined),
    getConfigMap: async (ns: string, name: string) => (ns === "tools" && name === "github-cfg" ? { data: { org: "acme" } } : undefined),
    getService: async () => undefined,
  },
};

describe("mcpServerConnection headers", () => {
  it("discovery sends the Secret and ConfigMap headers and leaves out the query parameter one", async () => {
    const connection = await mcpServerConnection(server, resources as never);
    expect(connection.headers).toEqual({ Authorization: "Bearer gh", "X-Org": "acme" });
  });

  it("a query's tool calls add the header read from its parameter", async () => {
    const connection = await mcpServerConnection(server, resources as never, { user: "alice" });
    expect(connection.headers).toEqual({ Authorization: "Bearer gh", "X-Org": "acme", "X-User": "alice" });
  });

  it("a query without the parameter fails naming the header", async () => {
    await expect(mcpServerConnection(server, resources as never, {})).rejects.toThrow('header X-User: query parameter "user" not found');
  });

  it("a ConfigMap that does not exist fails naming the header and the ConfigMap", async () => {
    const missing = { ...resources, values: { ...resources.values, getConfigMap: async () => undefined } };
    await expect(mcpServerConnection(server, missing as never)).rejects.toThrow("header X-Org: failed to get configmap tools/github-cfg");
  });
});
