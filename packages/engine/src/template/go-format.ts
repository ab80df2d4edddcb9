/** A value printed as Go's `%v` prints the decoded JSON it came from (`map[a:1 b:x]`, `[1 2]`, `<nil>`, `1e+06`). */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatGoFloat(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${key}:${formatGoValue((value as Record<string, unknown>)[key])}`);
    return `map[${entries.join(" ")}]`;
  }
  return String(value);
}

// Go's %v of a float64 is strconv 'g' with the shortest digits, switching to an exponent below 1e-4 and from 1e6 on.
function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, exp] = n.toExponential().split("e") as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(n);
}
