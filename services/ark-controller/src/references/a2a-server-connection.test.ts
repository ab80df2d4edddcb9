import type { A2AServer } from "@ark/kube";
import { describe, expect, it } from "vitest";
import { a2aServerTarget } from "./a2a-server-connection.js";

// A2AServer headers from a ConfigMap and from the query's parameters (docs/upstream-compat.md §1.5).
const server = {
  metadata: { namespace: "agents", name: "weather" },
  spec: {
    address: { value: "http://weather.agents:8080" },
    headers: [
      { name: "X-Region", value: { valueFrom: { configMapKeyRef: { name: "weather-cfg", key: "region" } } } },
      { name: "X-User", value: { valueFrom: { queryParameterRef: { name: "user" } } } },
    ],
  },
} as unknown as A2AServer;

const resources = {
  resolveValueSource: async (source: { value?: string }) => source.value ?? "",
  values: {
    getSecret: async () => undefined,
    getConfigMap: async (ns: string, name: string) => (ns === "agents" && name === "weather-cfg" ? { data: { region: "eu" } } : undefined),
    getService: async () => undefined,
  },
};

describe("a2aServerTarget headers", () => {
  it("discovery sends the ConfigMap header only; a query's calls add the one read from its parameter", async () => {
    expect((await a2aServerTarget(server, resources as never)).headers).toEqual({ "X-Region": "eu" });
    expect((await a2aServerTarget(server, resources as never, { user: "alice" })).headers).toEqual({ "X-Region": "eu", "X-User": "alice" });
    await expect(a2aServerTarget(server, resources as never, {})).rejects.toThrow('header X-User: query parameter "user" not found');
  });
});
