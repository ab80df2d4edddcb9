/**
 * How template values map to Go's: YAML/JSON numbers are float64 (`number`), template integer literals and
 * `len` are int (`bigint`), maps are plain objects, slices arrays, nil is null/undefined.
 */
export type GoKind = "nil" | "string" | "float64" | "int" | "bool" | "map" | "slice" | "func" | "struct";

const STRUCT = Symbol("go-struct");

/** Marks an object as a Go struct: a missing field is an error, not nil (Helm's .Release, .Chart, .Files…). */
export function goStruct<T extends object>(fields: T): T {
  Object.defineProperty(fields, STRUCT, { value: true, enumerable: false });
  return fields;
}

function isGoStruct(value: unknown): boolean {
  return typeof value === "object" && value !== null && STRUCT in value;
}

export function goKind(value: unknown): GoKind {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "float64";
  if (typeof value === "bigint") return "int";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "function") return "func";
  if (Array.isArray(value)) return "slice";
  return isGoStruct(value) ? "struct" : "map";
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTrue(value: unknown): boolean {
  switch (goKind(value)) {
    case "nil":
      return false;
    case "string":
      return value !== "";
    case "float64":
      return value !== 0;
    case "int":
      return value !== 0n;
    case "bool":
      return value as boolean;
    case "slice":
      return (value as unknown[]).length > 0;
    case "map":
      return Object.keys(value as object).length > 0;
    default:
      return true;
  }
}

/** How an action prints a value: fmt's %v, except that nil prints `<no value>`. */
export function formatGo(value: unknown): string {
  switch (goKind(value)) {
    case "nil":
      return "<no value>";
    case "float64":
      return formatFloat(value as number);
    case "slice":
      return `[${(value as unknown[]).map(formatGoValue).join(" ")}]`;
    case "map":
    case "struct":
      return `map[${Object.keys(value as object)
        .sort()
        .map((k) => `${k}:${formatGoValue((value as Record<string, unknown>)[k])}`)
        .join(" ")}]`;
    default:
      return String(value);
  }
}

/** fmt's %v of a value decoded from JSON or YAML (`map[a:1 b:x]`, `[1 2]`, `<nil>`, `1e+06`). */
export function formatGoValue(value: unknown): string {
  return value === null || value === undefined ? "<nil>" : formatGo(value);
}

/** strconv.FormatFloat(f, 'g', -1, 64), which %v uses: an exponent from 1e+06 on (the Helm "1e+06" surprise). */
export function formatFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, expText] = f.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp >= -4 && exp < 6) return String(f);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}
