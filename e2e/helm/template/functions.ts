import { stringify } from "yaml";
import { formatGo, goKind, isTrue } from "./go-values.js";
import { goQuote, goTypeName, sprintf } from "./printf.js";

/** What a function can reach besides its arguments. */
export interface FunctionContext {
  include(name: string, data: unknown): string;
}

type Fn = (args: unknown[], ctx: FunctionContext) => unknown;
interface FunctionDef {
  arity: [min: number, max: number];
  call: Fn;
}

const ANY = Number.POSITIVE_INFINITY;
// Declared apart: inside the literal, TypeScript types a `toString` key as Object.prototype.toString.
const TO_STRING: FunctionDef = { arity: [1, 1], call: ([v]) => strval(v) };

/**
 * Every function the charts may use, in one place: Go's builtins, and the Sprig/Helm functions the charts
 * need (a chart using anything else fails to parse, as a real `helm template` fails on an unknown function).
 * `and`/`or` are here for the name check; the executor evaluates them lazily.
 */
export const FUNCTIONS: Record<string, FunctionDef> = {
  // Go text/template builtins
  and: { arity: [1, ANY], call: (a) => a.find((v) => !isTrue(v)) ?? a[a.length - 1] },
  or: { arity: [1, ANY], call: (a) => a.find((v) => isTrue(v)) ?? a[a.length - 1] },
  not: { arity: [1, 1], call: ([v]) => !isTrue(v) },
  eq: { arity: [2, ANY], call: ([first, ...rest]) => rest.some((other) => equal(first, other)) },
  ne: { arity: [2, 2], call: ([a, b]) => !equal(a, b) },
  lt: { arity: [2, 2], call: ([a, b]) => compare(a, b) < 0 },
  le: { arity: [2, 2], call: ([a, b]) => compare(a, b) <= 0 },
  gt: { arity: [2, 2], call: ([a, b]) => compare(a, b) > 0 },
  ge: { arity: [2, 2], call: ([a, b]) => compare(a, b) >= 0 },
  len: { arity: [1, 1], call: ([v]) => BigInt(length(v)) },
  index: { arity: [1, ANY], call: ([coll, ...keys]) => keys.reduce(indexOne, coll) },
  print: { arity: [0, ANY], call: (a) => sprint(a) },
  printf: { arity: [1, ANY], call: ([format, ...rest]) => sprintf(asString(format, "printf"), rest) },
  // Sprig
  default: { arity: [1, 2], call: ([fallback, ...given]) => (given.length === 0 || isEmpty(given[0]) ? fallback : given[0]) },
  empty: { arity: [1, 1], call: ([v]) => isEmpty(v) },
  quote: { arity: [0, ANY], call: (a) => a.filter((v) => v !== null && v !== undefined).map((v) => goQuote(strval(v))).join(" ") },
  toString: TO_STRING,
  indent: { arity: [2, 2], call: ([n, text]) => indent(asInt(n, "indent"), strval(text)) },
  nindent: { arity: [2, 2], call: ([n, text]) => "\n" + indent(asInt(n, "nindent"), strval(text)) },
  trunc: { arity: [2, 2], call: ([n, text]) => truncate(asInt(n, "trunc"), strval(text)) },
  trimSuffix: { arity: [2, 2], call: ([suffix, text]) => trimSuffix(strval(text), strval(suffix)) },
  dict: { arity: [0, ANY], call: (a) => dict(a) },
  list: { arity: [0, ANY], call: (a) => [...a] },
  hasKey: { arity: [2, 2], call: ([map, key]) => goKind(map) === "map" && Object.hasOwn(map as object, strval(key)) },
  // Helm
  include: { arity: [2, 2], call: ([name, data], ctx) => ctx.include(asString(name, "include"), data) },
  required: { arity: [2, 2], call: ([message, v]) => required(strval(message), v) },
  fail: { arity: [1, 1], call: ([message]) => { throw new Error(strval(message)); } },
  toYaml: { arity: [1, 1], call: ([v]) => toYaml(v) },
};

export const FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.keys(FUNCTIONS));

/** Sprig's strval: strings as they are, anything else as fmt's %v. */
function strval(v: unknown): string {
  return typeof v === "string" ? v : formatGo(v);
}

function asString(v: unknown, fn: string): string {
  if (typeof v !== "string") throw new Error(`wrong type for value; expected string; got ${goTypeName(v)} (in ${fn})`);
  return v;
}

/** Sprig converts numbers and numeric strings to int (cast.ToInt). */
function asInt(v: unknown, fn: string): number {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
  throw new Error(`${fn}: expected an integer, got ${goTypeName(v)}`);
}

function isEmpty(v: unknown): boolean {
  return goKind(v) === "struct" ? false : !isTrue(v);
}

function equal(a: unknown, b: unknown): boolean {
  const [ka, kb] = [goKind(a), goKind(b)];
  if (ka === "nil" || kb === "nil") return ka === kb;
  if (ka !== kb) throw new Error(`incompatible types for comparison (${goTypeName(a)} and ${goTypeName(b)})`);
  if (ka === "map" || ka === "slice" || ka === "struct" || ka === "func") throw new Error(`non-comparable type ${goTypeName(a)}`);
  return a === b;
}

function compare(a: unknown, b: unknown): number {
  const [ka, kb] = [goKind(a), goKind(b)];
  if (ka !== kb || !["int", "float64", "string"].includes(ka)) {
    throw new Error(`incompatible types for comparison (${goTypeName(a)} and ${goTypeName(b)})`);
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function length(v: unknown): number {
  const kind = goKind(v);
  if (kind === "string" || kind === "slice") return (v as string | unknown[]).length;
  if (kind === "map") return Object.keys(v as object).length;
  throw new Error(kind === "nil" ? "len of nil pointer" : `len of type ${goTypeName(v)}`);
}

function indexOne(coll: unknown, key: unknown): unknown {
  const kind = goKind(coll);
  if (kind === "map") return (coll as Record<string, unknown>)[asString(key, "index")];
  if (kind === "slice") {
    const arr = coll as unknown[];
    const i = typeof key === "bigint" ? Number(key) : Number.NaN;
    if (!(i >= 0 && i < arr.length)) throw new Error(`index out of range: ${strval(key)}`);
    return arr[i];
  }
  throw new Error(`can't index item of type ${goTypeName(coll)}`);
}

/** fmt.Sprint: a space between operands when neither is a string. */
function sprint(args: unknown[]): string {
  let out = "";
  args.forEach((v, i) => {
    if (i > 0 && typeof v !== "string" && typeof args[i - 1] !== "string") out += " ";
    out += v === null || v === undefined ? "<nil>" : formatGo(v);
  });
  return out;
}

function indent(n: number, text: string): string {
  const pad = " ".repeat(n);
  return pad + text.replaceAll("\n", "\n" + pad);
}

function truncate(n: number, text: string): string {
  if (n < 0) return text.length + n > 0 ? text.slice(text.length + n) : text;
  return text.length > n ? text.slice(0, n) : text;
}

function trimSuffix(text: string, suffix: string): string {
  return suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
}

function dict(args: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i += 2) out[strval(args[i])] = i + 1 < args.length ? args[i + 1] : "";
  return out;
}

function required(message: string, v: unknown): unknown {
  if (v === null || v === undefined || v === "") throw new Error(message);
  return v;
}

/** Helm's toYaml: sigs.k8s.io/yaml (keys sorted), without the trailing newline. */
function toYaml(v: unknown): string {
  if (v === null || v === undefined) return "null";
  return stringify(v, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, "");
}
