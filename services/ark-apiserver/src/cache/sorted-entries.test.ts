import { describe, expect, it } from "vitest";
import { compareKey, SortedEntries } from "./sorted-entries.js";

interface E {
  namespace: string;
  name: string;
  v: number;
}

const keyOf = (e: { namespace: string; name: string }) => `${e.namespace}/${e.name}`;
const order = (a: E, b: E) => compareKey(a, b.namespace, b.name);

/** Everything from (namespace, name) on, in order. */
function from(sorted: SortedEntries<E>, start: { namespace: string; name: string } | undefined, exclusive = false, limit = Infinity): E[] {
  const out: E[] = [];
  sorted.forEachFrom(start, exclusive, (e) => {
    if (out.length >= limit) return false;
    out.push(e);
  });
  return out;
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

describe("SortedEntries", () => {
  it("keeps many inserts, replacements and removes in key order, as a sorted array would, across chunk splits and merges", () => {
    const next = random(7);
    const sorted = new SortedEntries<E>();
    const model = new Map<string, E>();
    for (let step = 0; step < 20_000; step++) {
      const e = { namespace: `ns-${Math.floor(next() * 5)}`, name: `q-${Math.floor(next() * 3_000)}`, v: step };
      // Mostly writes early, mostly deletes late: chunks split, then shrink and merge.
      if (next() < (step < 12_000 ? 0.8 : 0.2)) {
        expect(sorted.put(e)).toBe(!model.has(keyOf(e)));
        model.set(keyOf(e), e);
      } else {
        expect(sorted.remove(e.namespace, e.name)).toBe(model.delete(keyOf(e)));
      }
    }
    const expected = [...model.values()].sort(order);
    expect(sorted.length).toBe(expected.length);
    expect(from(sorted, undefined)).toEqual(expected);
    // From any key, present or not, inclusive and exclusive.
    for (const probe of [expected[0]!, expected[1_000]!, expected.at(-1)!, { namespace: "ns-2", name: "" }, { namespace: "ns-3", name: "q-1500x" }, { namespace: "zz", name: "" }]) {
      expect(from(sorted, probe)).toEqual(expected.filter((e) => compareKey(e, probe.namespace, probe.name) >= 0));
      expect(from(sorted, probe, true)).toEqual(expected.filter((e) => compareKey(e, probe.namespace, probe.name) > 0));
    }
    expect(from(sorted, { namespace: "ns-1", name: "" }, false, 3)).toEqual(expected.filter((e) => e.namespace >= "ns-1").slice(0, 3));
  });

  it("builds from entries in any order, and a replacement keeps its place", () => {
    const sorted = SortedEntries.of<E>([
      { namespace: "b", name: "x", v: 1 },
      { namespace: "a", name: "z", v: 2 },
      { namespace: "a", name: "y", v: 3 },
    ]);
    expect(sorted.put({ namespace: "a", name: "z", v: 4 })).toBe(false);
    expect(from(sorted, undefined).map((e) => [keyOf(e), e.v])).toEqual([
      ["a/y", 3],
      ["a/z", 4],
      ["b/x", 1],
    ]);
    expect(sorted.remove("c", "nothing")).toBe(false);
    expect(new SortedEntries<E>().remove("a", "y")).toBe(false);
    expect(from(new SortedEntries<E>(), { namespace: "a", name: "" })).toEqual([]);
  });
});
