import { describe, expect, it } from "vitest";
import { applyStrategicMergePatch } from "./strategic-merge-patch.js";

describe("strategic merge patch", () => {
  it("merges lists with a merge key by that key, deletes with $patch: delete, and drops kubectl's directives", () => {
    const service = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }], selector: { app: "a" } } };
    const patch = {
      spec: {
        "$setElementOrder/ports": [{ port: 80 }, { port: 9090 }],
        ports: [{ port: 80, targetPort: 8081 }, { port: 443, $patch: "delete" }, { port: 9090 }],
        selector: { app: null, tier: "web" },
      },
    };
    expect(applyStrategicMergePatch(service, patch)).toEqual({
      spec: { ports: [{ port: 80, targetPort: 8081 }, { port: 9090 }], selector: { tier: "web" } },
    });
  });

  it("merges finalizers as a set, removes from primitive lists, and replaces other lists", () => {
    const obj = { metadata: { finalizers: ["a", "b"] }, data: { list: [1, 2] } };
    expect(applyStrategicMergePatch(obj, { metadata: { finalizers: ["c"] }, data: { list: [3] } })).toEqual({
      metadata: { finalizers: ["a", "b", "c"] },
      data: { list: [3] },
    });
    expect(applyStrategicMergePatch(obj, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } })).toEqual({
      metadata: { finalizers: ["b"] },
      data: { list: [1, 2] },
    });
  });
});
