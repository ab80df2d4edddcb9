import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { useApiServerSuite } from "../test-support/api-server.js";
import { rawRequest } from "../test-support/raw-request.js";
import { warningHeader } from "./send.js";

describe("Warning header", () => {
  it("quotes as Kubernetes does, sends non-Latin-1 text as UTF-8 bytes and escapes control characters", () => {
    expect(warningHeader('unknown field "spec.a\\b"')).toBe('299 - "unknown field \\"spec.a\\\\b\\""');
    expect(Buffer.from(warningHeader('unknown field "spec.ключ"'), "latin1").toString("utf8")).toBe('299 - "unknown field \\"spec.ключ\\""');
    expect(warningHeader("a\u0000b\u007fc\u0085d\ud800e\ttab")).toBe('299 - "a\\u0000b\\u007fc\\u0085d\\ud800e\\u0009tab"');
    expect(Buffer.from(warningHeader("emoji 😀"), "latin1").toString("utf8")).toBe('299 - "emoji 😀"');
  });
});

describe.skipIf(!testPostgres())("unknown fields with any characters in their names", () => {
  const suite = useApiServerSuite("apiserver-warnings");

  it("answers 201 with a valid Warning header naming a non-Latin-1 unknown field (ARK kind and built-in)", async () => {
    const agent = await rawRequest(suite.server, "POST", "/apis/ark.mckinsey.com/v1alpha1/namespaces/default/agents", {
      body: JSON.stringify({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name: "cyrillic" }, spec: { prompt: "x", ключ: 1 } }),
    });
    expect(agent.status).toBe(201);
    expect(agent.utf8Headers.filter(([name]) => name === "warning").map(([, value]) => value)).toEqual(['299 - "unknown field \\"spec[ключ]\\""']);

    const configMap = await rawRequest(suite.server, "POST", "/api/v1/namespaces/default/configmaps", {
      body: JSON.stringify({ metadata: { name: "odd-fields" }, 日本: 1, "a\u007fb": 2, "c\u0000d": 3 }),
    });
    expect(configMap.status).toBe(201);
    const warnings = configMap.utf8Headers.filter(([name]) => name === "warning").map(([, value]) => value);
    expect(warnings).toEqual(['299 - "unknown field \\"日本\\""', '299 - "unknown field \\"a\\u007fb\\""', '299 - "unknown field \\"c\\u0000d\\""']);
  });
});
