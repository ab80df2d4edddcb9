import { describe, expect, it } from "vitest";
import { manifestFromDetail } from "./from-detail.js";
import { kindByName, kindOfManifest } from "./kinds.js";
import { createBody, updateBody } from "./to-body.js";

const agent = {
  apiVersion: "ark.mckinsey.com/v1alpha1",
  kind: "Agent",
  metadata: { name: "helper", labels: { team: "a" } },
  spec: { prompt: "Be helpful.", modelRef: { name: "default" } },
};

describe("kinds", () => {
  it("finds a kind by any of its names and by a manifest's apiVersion + kind", () => {
    expect(kindByName("agents").kind).toBe("Agent");
    expect(kindByName("MCPServer").segment).toBe("mcp-servers");
    expect(kindByName("mcp-servers").kind).toBe("MCPServer");
    expect(kindOfManifest("ark.mckinsey.com/v1alpha1", "Agent")?.shape).toBe("flat");
    expect(kindOfManifest("v1", "Secret")?.shape).toBe("secret");
    expect(kindOfManifest("apps/v1", "Deployment")).toBeUndefined();
    expect(kindOfManifest("v1", "Agent")).toBeUndefined();
    expect(() => kindByName("widgets")).toThrow(/unknown kind "widgets"/);
  });
});

describe("request bodies", () => {
  it("puts spec fields beside name for flat kinds", () => {
    const kind = kindByName("agent");
    expect(createBody(kind, agent, "f")).toEqual({ name: "helper", labels: { team: "a" }, prompt: "Be helpful.", modelRef: { name: "default" } });
    expect(updateBody(kind, agent, "f")).toEqual({ labels: { team: "a" }, prompt: "Be helpful.", modelRef: { name: "default" } });
  });

  it("wraps the spec for the other kinds", () => {
    const tool = { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Tool", metadata: { name: "t" }, spec: { type: "http" } };
    expect(createBody(kindByName("tool"), tool, "f")).toEqual({ name: "t", spec: { type: "http" } });
  });

  it("sends a Secret's values as string_data, decoding data", () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: Buffer.from("one").toString("base64") }, stringData: { b: "two" } };
    expect(createBody(kindByName("secret"), secret, "f")).toEqual({ name: "s", string_data: { a: "one", b: "two" } });
  });

  it("requires metadata.name", () => {
    expect(() => createBody(kindByName("agent"), { ...agent, metadata: {} }, "f.yaml:2")).toThrow("f.yaml:2: metadata.name is required");
  });
});

describe("manifestFromDetail", () => {
  it("rebuilds a flat kind's manifest from ark-api's detail, dropping view-only fields", () => {
    const detail = { name: "helper", namespace: "default", labels: {}, uid: "u1", prompt: "Be helpful.", modelRef: { name: "default" }, skills: [], isA2A: false, status: { conditions: [] } };
    expect(manifestFromDetail(kindByName("agent"), detail)).toEqual({
      apiVersion: "ark.mckinsey.com/v1alpha1",
      kind: "Agent",
      metadata: { name: "helper", namespace: "default", uid: "u1" },
      spec: { prompt: "Be helpful.", modelRef: { name: "default" } },
      status: { conditions: [] },
    });
  });

  it("turns a Model's plain model name and phase back into the manifest's shapes", () => {
    const manifest = manifestFromDetail(kindByName("model"), { name: "m", type: "openai", model: "gpt-4.1-mini", config: {}, status: "ready" });
    expect(manifest.spec).toEqual({ type: "openai", model: { value: "gpt-4.1-mini" }, config: {} });
    expect(manifest.status).toEqual({ phase: "ready" });
  });
});
