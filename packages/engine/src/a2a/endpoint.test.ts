import { describe, expect, it } from "vitest";
import { resolveEndpoint } from "./endpoint.js";

const v1 = (url: string) => ({
  name: "a",
  supportedInterfaces: [
    { url: "http://other/rest", protocolBinding: "HTTP+JSON" },
    { url, protocolBinding: "JSONRPC" },
  ],
});

describe("resolveEndpoint (spec.endpointResolution)", () => {
  it("address: the address as written, whatever the card says", () => {
    expect(resolveEndpoint("https://agents.example/a", v1("https://evil.example/x"))).toEqual({ endpoint: "https://agents.example/a" });
  });

  it("cardPath: the address's origin with the card's path (the JSON-RPC interface first; 0.3 url too)", () => {
    expect(resolveEndpoint("https://agents.example/a", v1("http://internal:8080/rpc/v1?x=1"), "cardPath")).toEqual({ endpoint: "https://agents.example/rpc/v1?x=1" });
    expect(resolveEndpoint("https://agents.example", { name: "a", url: "http://pod:80/legacy" }, "cardPath")).toEqual({ endpoint: "https://agents.example/legacy" });
  });

  it("cardUrl: the card's URL on the address's origin or an allowed host, else the address and the URL rejected", () => {
    expect(resolveEndpoint("https://agents.example/a", v1("https://agents.example/b"), "cardUrl")).toEqual({ endpoint: "https://agents.example/b" });
    expect(resolveEndpoint("https://agents.example", v1("https://x.cdn.example/b"), "cardUrl", ["*.cdn.example"])).toEqual({ endpoint: "https://x.cdn.example/b" });
    expect(resolveEndpoint("https://agents.example", v1("https://a.x.cdn.example/b"), "cardUrl", ["*.cdn.example"])).toMatchObject({ endpoint: "https://agents.example", rejected: "https://a.x.cdn.example/b" });
    expect(resolveEndpoint("https://agents.example", v1("https://other.example:8443/b"), "cardUrl", ["other.example:443"]).rejected).toBe("https://other.example:8443/b");
    expect(resolveEndpoint("https://agents.example", v1("https://other.example:8443/b"), "cardUrl", ["other.example"]).endpoint).toBe("https://other.example:8443/b");
  });

  it("never a downgrade to http, userinfo or another scheme", () => {
    expect(resolveEndpoint("https://agents.example", v1("http://agents.example/b"), "cardUrl", ["agents.example"])).toMatchObject({ endpoint: "https://agents.example", rejected: "http://agents.example/b" });
    expect(resolveEndpoint("https://agents.example", v1("https://user:pw@agents.example/b"), "cardUrl").rejected).toBe("https://user:pw@agents.example/b");
    expect(resolveEndpoint("https://agents.example", v1("file:///etc/passwd"), "cardPath").rejected).toBe("file:///etc/passwd");
  });
});
