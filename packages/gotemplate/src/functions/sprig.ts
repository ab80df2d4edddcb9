import { stringify } from "yaml";
import { formatGo, goKind, isTrue } from "../go-values.js";
import { goQuote, goTypeName } from "../printf.js";
import { GO_BUILTINS } from "./builtins.js";
import { ANY, type FunctionSet, type TemplateFunction } from "./function-set.js";

// Declared apart: inside the literal, TypeScript types a `toString` key as Object.prototype.toString.
const TO_STRING: TemplateFunction = { arity: [1, 1], call: ([v]) => strval(v) };

/**
 * The Sprig functions our charts use, and Helm's own (include, required, fail, toYaml). A chart using anything
 * else fails to parse, as a real `helm template` fails on an unknown function.
 */
export const SPRIG_FUNCTIONS: FunctionSet = {
  default: { arity: [1, 2], call: ([fallback, ...given]) => (given.length === 0 || isEmpty(given[0]) ? fallback : given[0]) },
  empty: { arity: [1, 1], call: ([v]) => isEmpty(v) },
  quote: {
    arity: [0, ANY],
    call: (a) =>
      a
        .filter((v) => v !== null && v !== undefined)
        .map((v) => goQuote(strval(v)))
        .join(" "),
  },
  toString: TO_STRING,
  indent: { arity: [2, 2], call: ([n, text]) => indent(asInt(n, "indent"), strval(text)) },
  nindent: { arity: [2, 2], call: ([n, text]) => "\n" + indent(asInt(n, "nindent"), strval(text)) },
  trunc: { arity: [2, 2], call: ([n, text]) => truncate(asInt(n, "trunc"), strval(text)) },
  trimSuffix: { arity: [2, 2], call: ([suffix, text]) => trimSuffix(strval(text), strval(suffix)) },
  dict: { arity: [0, ANY], call: (a) => dict(a) },
  list: { arity: [0, ANY], call: (a) => [...a] },
  hasKey: { arity: [2, 2], call: ([map, key]) => goKind(map) === "map" && Object.hasOwn(map as object, strval(key)) },
  include: { arity: [2, 2], call: ([name, data], ctx) => ctx.include(asString(name, "include"), data) },
  required: { arity: [2, 2], call: ([message, v]) => required(strval(message), v) },
  fail: {
    arity: [1, 1],
    call: ([message]) => {
      throw new Error(strval(message));
    },
  },
  toYaml: { arity: [1, 1], call: ([v]) => toYaml(v) },
};

/** What `helm template` offers a chart: Go's builtins and the Sprig/Helm functions above. */
export const CHART_FUNCTIONS: FunctionSet = { ...GO_BUILTINS, ...SPRIG_FUNCTIONS };

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
