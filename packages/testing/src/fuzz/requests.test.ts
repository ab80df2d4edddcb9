import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";
import { fuzzKinds, fuzzRequests, type FuzzSurface } from "./requests.js";
import { fieldPaths, wrongTypeVariants } from "./values.js";

const surface: FuzzSurface = {
  paths: ["/v1/namespaces/{ns}/things", "/v1/namespaces/{ns}/things/{name}"],
  methods: ["POST", "DELETE"],
  params: ["limit"],
  samples: [{ method: "POST", path: "/v1/namespaces/{ns}/things", body: { name: "a", spec: { count: 1, tags: ["x"], on: true } } }],
};

describe("fuzz request generator", () => {
  it("is deterministic for a seed and different for another", () => {
    const text = (seed: number) => JSON.stringify(fuzzRequests(surface, seededRandom(seed), 200));
    expect(text(7)).toBe(text(7));
    expect(text(7)).not.toBe(text(8));
  });

  it("gives every field of a sample a wrong type, sent to the sample's route, then takes every kind in turn", () => {
    const sample = surface.samples![0]!;
    const variants = wrongTypeVariants(sample.body);
    expect(new Set(variants.map((v) => v.path.replace(" (removed)", "")))).toEqual(new Set(fieldPaths(sample.body).map((p) => p.join("."))));
    for (const variant of variants) expect(variant.value).not.toEqual(sample.body);

    const requests = fuzzRequests(surface, seededRandom(1), fuzzKinds.length * 3);
    const sweep = requests.slice(0, variants.length);
    expect(sweep.every((r) => r.kind === "wrong-type" && r.method === "POST" && r.path.endsWith("/things"))).toBe(true);
    expect(new Set(requests.slice(variants.length).map((r) => r.kind))).toEqual(new Set(fuzzKinds));
  });
});
