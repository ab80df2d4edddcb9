import { describe, expect, it } from "vitest";
import { ruleAllows, uncoveredRules, type RequestAttributes } from "./policy-rule.js";
import { requestAttributes } from "./request-attributes.js";

const resource = (verb: string, resource: string, extra: Partial<Extract<RequestAttributes, { resourceRequest: true }>> = {}): RequestAttributes => ({
  resourceRequest: true,
  verb,
  apiGroup: "",
  apiVersion: "v1",
  resource,
  subresource: "",
  namespace: "a",
  name: "",
  ...extra,
});

describe("ruleAllows (Kubernetes RBAC rule matching)", () => {
  it("matches verbs, groups, resources, subresources and names", () => {
    const rule = { verbs: ["get"], apiGroups: ["ark.mckinsey.com"], resources: ["queries", "queries/status"] };
    expect(ruleAllows(rule, resource("get", "queries", { apiGroup: "ark.mckinsey.com" }))).toBe(true);
    expect(ruleAllows(rule, resource("get", "queries", { apiGroup: "ark.mckinsey.com", subresource: "status" }))).toBe(true);
    expect(ruleAllows(rule, resource("get", "agents", { apiGroup: "ark.mckinsey.com" }))).toBe(false);
    expect(ruleAllows(rule, resource("list", "queries", { apiGroup: "ark.mckinsey.com" }))).toBe(false);
    expect(ruleAllows(rule, resource("get", "queries"))).toBe(false);
    // A rule on the resource does not reach its subresources, "*/status" reaches every status.
    expect(ruleAllows({ verbs: ["get"], apiGroups: [""], resources: ["serviceaccounts"] }, resource("create", "serviceaccounts", { subresource: "token" }))).toBe(false);
    expect(ruleAllows({ verbs: ["patch"], apiGroups: ["*"], resources: ["*/status"] }, resource("patch", "agents", { subresource: "status" }))).toBe(true);
    const named = { verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["model-key"] };
    expect(ruleAllows(named, resource("get", "secrets", { name: "model-key" }))).toBe(true);
    expect(ruleAllows(named, resource("get", "secrets", { name: "other" }))).toBe(false);
    expect(ruleAllows(named, resource("get", "secrets"))).toBe(false);
  });

  it("matches non-resource URLs exactly or by a trailing *", () => {
    const rule = { verbs: ["get"], nonResourceURLs: ["/version", "/apis/*"] };
    expect(ruleAllows(rule, { resourceRequest: false, verb: "get", path: "/version" })).toBe(true);
    expect(ruleAllows(rule, { resourceRequest: false, verb: "get", path: "/apis/ark.mckinsey.com" })).toBe(true);
    expect(ruleAllows(rule, { resourceRequest: false, verb: "get", path: "/api" })).toBe(false);
    expect(ruleAllows(rule, { resourceRequest: false, verb: "post", path: "/version" })).toBe(false);
  });
});

describe("uncoveredRules (escalation check)", () => {
  it("lists the grants the owner does not hold", () => {
    const owner = [{ verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"] }];
    expect(uncoveredRules(owner, [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["x"] }])).toEqual([]);
    expect(uncoveredRules(owner, [{ verbs: ["get", "delete"], apiGroups: [""], resources: ["configmaps", "secrets"] }])).toEqual([
      { verbs: ["get"], apiGroups: [""], resources: ["secrets"] },
      { verbs: ["delete"], apiGroups: [""], resources: ["configmaps"] },
      { verbs: ["delete"], apiGroups: [""], resources: ["secrets"] },
    ]);
    expect(uncoveredRules(owner, [{ verbs: ["*"], apiGroups: [""], resources: ["configmaps"] }])).toHaveLength(1);
  });
});

describe("requestAttributes (what a request asks, as Kubernetes' RequestInfo)", () => {
  const attrs = (method: string, url: string) => requestAttributes(method, new URL(url, "http://localhost"));
  it("reads verbs, scope and names from the method and path", () => {
    expect(attrs("GET", "/api/v1/namespaces/a/secrets")).toMatchObject({ verb: "list", resource: "secrets", namespace: "a", name: "" });
    expect(attrs("GET", "/api/v1/namespaces/a/secrets?watch=true&fieldSelector=metadata.name%3Dk")).toMatchObject({ verb: "watch", name: "k" });
    expect(attrs("DELETE", "/apis/ark.mckinsey.com/v1alpha1/namespaces/a/agents")).toMatchObject({ verb: "deletecollection", apiGroup: "ark.mckinsey.com" });
    expect(attrs("POST", "/api/v1/namespaces/a/serviceaccounts/bot/token")).toMatchObject({ verb: "create", resource: "serviceaccounts", subresource: "token", name: "bot" });
    expect(attrs("GET", "/api/v1/namespaces/a")).toMatchObject({ verb: "get", resource: "namespaces", name: "a", namespace: "a" });
    expect(attrs("GET", "/api/v1/secrets")).toMatchObject({ verb: "list", namespace: "" });
    expect(attrs("GET", "/apis/ark.mckinsey.com/v1alpha1")).toEqual({ resourceRequest: false, verb: "get", path: "/apis/ark.mckinsey.com/v1alpha1" });
  });
});
