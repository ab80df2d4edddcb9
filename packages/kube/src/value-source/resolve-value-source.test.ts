import type { V1ConfigMap, V1Secret, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { ValueSourceReader } from "./reader.js";
import { resolveHeaders } from "./resolve-headers.js";
import { resolveValueSource } from "./resolve-value-source.js";
import { joinedPath } from "./service-url.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

function fakeReader(objects: { secrets?: V1Secret[]; configMaps?: V1ConfigMap[]; services?: V1Service[] }): ValueSourceReader {
  const find = <T extends { metadata?: { namespace?: string; name?: string } }>(items: T[] | undefined, ns: string, name: string) => items?.find((o) => o.metadata?.namespace === ns && o.metadata?.name === name);
  return {
    getSecret: async (ns, name) => find(objects.secrets, ns, name),
    getConfigMap: async (ns, name) => find(objects.configMaps, ns, name),
    getService: async (ns, name) => find(objects.services, ns, name),
  };
}

const reader = fakeReader({
  secrets: [{ metadata: { namespace: "team", name: "openai" }, data: { token: b64("sk-123") } }],
  configMaps: [{ metadata: { namespace: "team", name: "settings" }, data: { url: "https://api.example.com" } }],
  services: [
    {
      metadata: { namespace: "team", name: "mcp" },
      spec: {
        ports: [
          { name: "metrics", port: 9100 },
          { name: "http", port: 8080 },
        ],
      },
    },
    { metadata: { namespace: "other", name: "empty" }, spec: { ports: [] } },
    { metadata: { namespace: "team", name: "local", annotations: { "ark.mckinsey.com/url": "http://127.0.0.1:9090/" } }, spec: {} },
  ],
});

const resolve = (vs: Parameters<typeof resolveValueSource>[0]) => resolveValueSource(vs, "team", reader);

describe("resolveValueSource (docs/upstream-compat.md §1.1–1.2)", () => {
  it("returns a non-empty value even when valueFrom is also set", async () => {
    expect(await resolve({ value: "lit", valueFrom: { secretKeyRef: { name: "missing", key: "k" } } })).toBe("lit");
  });

  it("reads secrets and config maps in the resource's namespace, secret first", async () => {
    expect(await resolve({ valueFrom: { secretKeyRef: { name: "openai", key: "token" } } })).toBe("sk-123");
    expect(await resolve({ valueFrom: { configMapKeyRef: { name: "settings", key: "url" } } })).toBe("https://api.example.com");
    const both = { secretKeyRef: { name: "openai", key: "token" }, configMapKeyRef: { name: "settings", key: "url" } };
    expect(await resolve({ valueFrom: both })).toBe("sk-123");
  });

  it("says what is wrong in upstream's words", async () => {
    await expect(resolve({})).rejects.toThrow("value source must have either value or valueFrom specified");
    await expect(resolve({ value: "", valueFrom: {} })).rejects.toThrow("no valid valueFrom source specified");
    await expect(resolve({ valueFrom: { secretKeyRef: { name: "", key: "k" } } })).rejects.toThrow("secret name is required");
    await expect(resolve({ valueFrom: { secretKeyRef: { name: "openai", key: "nope" } } })).rejects.toThrow("key nope not found in secret team/openai");
    await expect(resolve({ valueFrom: { secretKeyRef: { name: "absent", key: "k" } } })).rejects.toThrow('secrets "absent" not found');
    await expect(resolve({ valueFrom: { configMapKeyRef: { name: "settings", key: "nope" } } })).rejects.toThrow("key nope not found in configmap team/settings");
  });

  it("turns a serviceRef into a cluster DNS URL, by port name or the first port", async () => {
    expect(await resolve({ valueFrom: { serviceRef: { name: "mcp" } } })).toBe("http://mcp.team.svc.cluster.local:9100");
    expect(await resolve({ valueFrom: { serviceRef: { name: "mcp", port: "http", path: "mcp/" } } })).toBe("http://mcp.team.svc.cluster.local:8080/mcp");
    await expect(resolve({ valueFrom: { serviceRef: { name: "mcp", port: "8080" } } })).rejects.toThrow("port 8080 not found in service team/mcp");
    await expect(resolve({ valueFrom: { serviceRef: { name: "empty", namespace: "other" } } })).rejects.toThrow("service other/empty has no ports");
  });

  it("uses a Service's ark.mckinsey.com/url annotation where there is no cluster DNS", async () => {
    expect(await resolve({ valueFrom: { serviceRef: { name: "local", path: "/sse" } } })).toBe("http://127.0.0.1:9090/sse");
  });

  it("joins paths like Go's path.Join", () => {
    expect(joinedPath(undefined)).toBe("");
    expect(joinedPath("a//b/./c/")).toBe("/a/b/c");
    expect(joinedPath("/")).toBe("/");
  });
});

describe("resolveHeaders (docs/upstream-compat.md §1.5)", () => {
  it("resolves values and secret references, naming the header on failure", async () => {
    const headers = [
      { name: "X-Static", value: { value: "v" } },
      { name: "Authorization", value: { valueFrom: { secretKeyRef: { name: "openai", key: "token" } } } },
    ];
    expect(await resolveHeaders(headers, "team", reader)).toEqual({ "X-Static": "v", Authorization: "sk-123" });
    await expect(resolveHeaders([{ name: "X-Empty", value: {} }], "team", reader)).rejects.toThrow("header X-Empty: header value must specify either value or valueFrom.secretKeyRef");
  });
});
