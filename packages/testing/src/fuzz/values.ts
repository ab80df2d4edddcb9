import type { FuzzRandom } from "./random.js";

/** Strings that break names, paths, templates, headers and parsers. */
export const oddStrings: readonly string[] = [
  "",
  " ",
  "a",
  "UPPER",
  "x".repeat(300),
  "../../etc/passwd",
  "..",
  ".",
  "%00",
  "\u0000",
  "名前",
  "😀",
  "\ud800",
  "\u202e",
  "a b",
  "a/b",
  "-leading",
  "trailing-",
  "a..b",
  "default",
  "kube-system",
  "ark-system",
  "null",
  "true",
  "0",
  "-1",
  "1e309",
  "NaN",
  "{{.secret}}",
  "${jndi:ldap://x}",
  "<script>",
  "'\"",
  "\\",
  "{",
  "[]",
  "\r\nX-Injected: 1",
  "__proto__",
  "constructor",
];

/** Object keys that trip prototype handling and naive key checks. */
export const oddKeys: readonly string[] = ["__proto__", "constructor", "prototype", "", " ", "$patch", "名前", "a.b", "a/b", "x".repeat(300), "toString"];

const scalars: readonly unknown[] = [null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, ...oddStrings];

/** A random JSON value of bounded size: scalars, arrays and objects with odd keys. */
export function randomJson(random: FuzzRandom, keys: readonly string[] = oddKeys, depth = 0): unknown {
  const roll = random.next();
  if (depth > 3 || roll < 0.4) return random.pick(scalars);
  if (roll < 0.65) return Array.from({ length: random.int(4) }, () => randomJson(random, keys, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = random.int(5); i > 0; i--) object[random.pick(random.chance(0.7) ? keys : oddKeys)] = randomJson(random, keys, depth + 1);
  return object;
}

/** `[[[…]]]` or `{"a":{"a":…}}` as text, `depth` levels deep (no recursion to build it). */
export function deepJsonText(depth: number, shape: "array" | "object" = "array", inner = "1"): string {
  return shape === "array" ? `${"[".repeat(depth)}${inner}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${"}".repeat(depth)}`;
}

/** Large JSON texts of about `bytes`: one long string, many keys, or a long array. */
export function hugeJsonText(random: FuzzRandom, bytes: number): string {
  switch (random.int(3)) {
    case 0:
      return JSON.stringify({ name: "huge", spec: { prompt: "x".repeat(bytes) } });
    case 1: {
      const keys = Math.max(1, Math.floor(bytes / 12));
      return `{${Array.from({ length: keys }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    }
    default:
      return `[${Array(Math.max(1, Math.floor(bytes / 2)))
        .fill("0")
        .join(",")}]`;
  }
}

/** Byte sequences that are not UTF-8 (or are UTF-8 that decoders often mishandle). */
const badUtf8: readonly number[][] = [[0xff, 0xfe], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xfe, 0xff, 0x00, 0x7b]];

/** JSON that is well formed but for invalid UTF-8 inside a string (or before it). */
export function invalidUtf8Json(random: FuzzRandom, sample: Record<string, unknown> = { name: "x" }): Buffer {
  const bytes = Buffer.from(random.pick(badUtf8));
  const text = JSON.stringify({ ...sample, name: "@@" });
  const [before, after] = text.split("@@") as [string, string];
  if (random.chance(0.2)) return Buffer.concat([bytes, Buffer.from(text)]);
  return Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]);
}

/** Values of another JSON type than `value` (and a few odd ones of the same type). */
export function wrongTypesFor(value: unknown): unknown[] {
  if (typeof value === "string") return [0, true, null, [], {}, [value], 1e308, -1];
  if (typeof value === "number") return [String(value), "", true, null, {}, [], -1, 1.5, 1e308, -1e308];
  if (typeof value === "boolean") return [String(value), 0, 1, null, [], {}];
  if (Array.isArray(value)) return [{}, "x", null, 0, true, [null], [[]], [0], ["x"]];
  if (value !== null && typeof value === "object") return [[], "x", null, 0, true, { "": null }, JSON.parse('{"__proto__":{"polluted":1}}')];
  return ["x", 0, true, [], {}];
}

/** Every field path of a JSON value (objects and arrays), parents before children. */
export function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : value !== null && typeof value === "object" ? Object.entries(value) : [];
  for (const [key, child] of entries) {
    const path = [...prefix, key];
    paths.push(path, ...fieldPaths(child, path));
  }
  return paths;
}

/** A copy of `value` with the field at `path` replaced (`undefined` removes it). */
export function withField(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    // defineProperty, so a "__proto__" key is an own field, as JSON.parse would make it.
    Object.defineProperty(parent, last, { value: replacement, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/**
 * Every field of `sample` given a value of a wrong type, one variant per field (the wrong type rotates), plus the
 * field removed for every third field: "wrong types in every field of a kind".
 */
export function wrongTypeVariants(sample: unknown): { path: string; value: unknown }[] {
  const variants: { path: string; value: unknown }[] = [];
  fieldPaths(sample).forEach((path, index) => {
    let current: unknown = sample;
    for (const key of path) current = (current as Record<string | number, unknown>)[key];
    const wrong = wrongTypesFor(current);
    const name = path.join(".");
    variants.push({ path: name, value: withField(sample, path, wrong[index % wrong.length]) });
    if (index % 3 === 0) variants.push({ path: `${name} (removed)`, value: withField(sample, path, undefined) });
  });
  return variants;
}
