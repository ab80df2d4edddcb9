import { formatGo, goKind } from "./go-values.js";

/** Go type names as fmt prints them in %!verb(type=value). */
export function goTypeName(value: unknown): string {
  const kind = goKind(value);
  if (kind === "map") return "map[string]interface {}";
  if (kind === "slice") return "[]interface {}";
  return kind === "nil" ? "<nil>" : kind;
}

/** fmt.Sprintf for the verbs templates use: %s %d %v %q %t %%; wrong types print as Go does (`%!d(float64=2)`). */
export function sprintf(format: string, args: unknown[]): string {
  let out = "";
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatVerb(verb, args[next++]);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args.slice(next).map((a) => `${goTypeName(a)}=${formatGo(a)}`).join(", ")})`;
  }
  return out;
}

function formatVerb(verb: string, value: unknown): string {
  const kind = goKind(value);
  const bad = () => `%!${verb}(${goTypeName(value)}=${formatGo(value)})`;
  switch (verb) {
    case "v":
      return kind === "nil" ? "<nil>" : formatGo(value);
    case "s":
      return kind === "string" ? (value as string) : kind === "slice" || kind === "map" ? formatGo(value) : bad();
    case "d":
      return kind === "int" ? String(value) : bad();
    case "t":
      return kind === "bool" ? String(value) : bad();
    case "q":
      return kind === "string" ? goQuote(value as string) : bad();
    default:
      return bad();
  }
}

/** strconv.Quote for printable text: JSON's escaping matches it except for a few control characters. */
export function goQuote(text: string): string {
  return JSON.stringify(text).replace(/\\u007f/g, "\\x7f");
}
