import { formatGoValue, goKind, isTrue } from "../go-values.js";
import { goTypeName, sprintf } from "../printf.js";
import { ANY, type FunctionSet } from "./function-set.js";

/** Go text/template's predefined functions (text/template's funcs.go), in Go's wording when they fail. */
export const GO_BUILTINS: FunctionSet = {
  and: { arity: [1, ANY], shortCircuit: "and", call: (a) => a.find((v) => !isTrue(v)) ?? a[a.length - 1] },
  or: { arity: [1, ANY], shortCircuit: "or", call: (a) => a.find((v) => isTrue(v)) ?? a[a.length - 1] },
  not: { arity: [1, 1], call: ([v]) => !isTrue(v) },
  eq: { arity: [1, ANY], call: ([first, ...rest]) => eq(first, rest) },
  ne: { arity: [2, 2], call: ([a, b]) => !eq(a, [b]) },
  lt: { arity: [2, 2], call: ([a, b]) => compare(a, b) < 0 },
  le: { arity: [2, 2], call: ([a, b]) => compare(a, b) <= 0 },
  gt: { arity: [2, 2], call: ([a, b]) => compare(a, b) > 0 },
  ge: { arity: [2, 2], call: ([a, b]) => compare(a, b) >= 0 },
  len: { arity: [1, 1], call: ([v]) => BigInt(length(v)) },
  index: { arity: [1, ANY], call: ([coll, ...keys]) => keys.reduce(indexOne, coll) },
  slice: { arity: [1, ANY], call: ([item, ...indexes]) => slice(item, indexes) },
  print: { arity: [0, ANY], call: (a) => sprint(a) },
  println: { arity: [0, ANY], call: (a) => `${a.map(formatGoValue).join(" ")}\n` },
  printf: { arity: [1, ANY], call: ([format, ...rest]) => sprintf(asString(format), rest) },
  html: { arity: [0, ANY], call: (a) => htmlEscape(evalArgs(a)) },
  js: { arity: [0, ANY], call: (a) => jsEscape(evalArgs(a)) },
  urlquery: { arity: [0, ANY], call: (a) => goQueryEscape(evalArgs(a)) },
  call: { arity: [1, ANY], call: ([fn, ...args]) => callFunction(fn, args) },
};

/** The argument of html, js and urlquery: one string as it is, anything else as fmt.Sprint with nil as `<no value>`. */
function evalArgs(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === "string" ? args[0] : sprint(args.map((a) => (goKind(a) === "nil" ? "<no value>" : a)));
}

function asString(v: unknown): string {
  if (typeof v !== "string") throw new Error(`wrong type for value; expected string; got ${goTypeName(v)}`);
  return v;
}

function eq(first: unknown, others: unknown[]): boolean {
  if (others.length === 0) throw new Error("missing argument for comparison");
  const ka = goKind(first);
  for (const other of others) {
    const kb = goKind(other);
    if (ka === "nil" || kb === "nil") {
      if (ka === kb) return true;
      continue;
    }
    if (ka !== kb) throw new Error(`incompatible types for comparison: ${goTypeName(first)} and ${goTypeName(other)}`);
    if (ka === "map" || ka === "slice" || ka === "struct" || ka === "func") throw new Error(`non-comparable type ${sprintf("%s", [other])}: ${goTypeName(other)}`);
    if (first === other) return true;
  }
  return false;
}

function compare(a: unknown, b: unknown): number {
  const [ka, kb] = [goKind(a), goKind(b)];
  for (const kind of [ka, kb]) if (!["int", "float64", "string"].includes(kind)) throw new Error("invalid type for comparison");
  if (ka !== kb) throw new Error(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function length(v: unknown): number {
  const kind = goKind(v);
  if (kind === "string") return new TextEncoder().encode(v as string).length;
  if (kind === "slice") return (v as unknown[]).length;
  if (kind === "map") return Object.keys(v as object).length;
  throw new Error(kind === "nil" ? "len of nil pointer" : `len of type ${goTypeName(v)}`);
}

function indexOne(coll: unknown, key: unknown): unknown {
  const kind = goKind(coll);
  if (kind === "map") {
    if (typeof key !== "string") throw new Error(`value has type ${goTypeName(key)}; should be string`);
    return Object.hasOwn(coll as object, key) ? (coll as Record<string, unknown>)[key] : undefined;
  }
  if (kind === "string") {
    // A string indexes to its byte (a uint8).
    const bytes = new TextEncoder().encode(coll as string);
    const i = sliceIndex(key, bytes.length);
    if (i >= bytes.length) throw new Error(`index out of range: ${i}`);
    return BigInt(bytes[i]!);
  }
  if (kind === "slice") {
    const arr = coll as unknown[];
    const i = sliceIndex(key, arr.length);
    if (i >= arr.length) throw new Error(`index out of range: ${i}`);
    return arr[i];
  }
  if (kind === "nil") throw new Error("index of untyped nil");
  throw new Error(`can't index item of type ${goTypeName(coll)}`);
}

/** text/template's indexArg: an int within 0..cap. */
function sliceIndex(index: unknown, cap: number): number {
  if (goKind(index) === "nil") throw new Error("cannot index slice/array with nil");
  if (typeof index !== "bigint") throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  if (index < 0n || index > BigInt(cap)) throw new Error(`index out of range: ${index}`);
  return Number(index);
}

function slice(item: unknown, indexes: unknown[]): unknown {
  const kind = goKind(item);
  if (kind === "nil") throw new Error("slice of untyped nil");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  if (kind === "string" && indexes.length === 3) throw new Error("cannot 3-index slice a string");
  if (kind !== "string" && kind !== "slice") throw new Error(`can't slice item of type ${goTypeName(item)}`);
  // Go slices a string by bytes.
  const bytes = kind === "string" ? new TextEncoder().encode(item as string) : undefined;
  const len = bytes ? bytes.length : (item as unknown[]).length;
  const idx = [0, len, len];
  indexes.forEach((index, i) => (idx[i] = sliceIndex(index, len)));
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes) return new TextDecoder().decode(bytes.slice(idx[0], idx[1]));
  return (item as unknown[]).slice(idx[0], idx[1]);
}

/** fmt.Sprint: a space between operands when neither is a string. */
function sprint(args: unknown[]): string {
  let out = "";
  args.forEach((v, i) => {
    if (i > 0 && typeof v !== "string" && typeof args[i - 1] !== "string") out += " ";
    out += formatGoValue(v);
  });
  return out;
}

const HTML_ESCAPES: Record<string, string> = { '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\uFFFD" };

function htmlEscape(text: string): string {
  return text.replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c]!);
}

const JS_ESCAPES: Record<string, string> = { "\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D" };

function jsEscape(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (JS_ESCAPES[c]) out += JS_ESCAPES[c];
    else if (code < 0x20 || (code >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c))) out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += c;
  }
  return out;
}

/** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay; a space becomes `+`. */
export function goQueryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

function callFunction(fn: unknown, args: unknown[]): unknown {
  if (goKind(fn) === "nil") throw new Error("call of nil");
  if (typeof fn !== "function") throw new Error(`non-function of type ${goTypeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args);
}
