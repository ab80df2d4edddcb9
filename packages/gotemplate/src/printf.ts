import { formatFloat, formatGoValue, goKind } from "./go-values.js";

/** Go type names as fmt prints them in %T and in %!verb(type=value). */
export function goTypeName(value: unknown): string {
  const kind = goKind(value);
  if (kind === "map" || kind === "struct") return "map[string]interface {}";
  if (kind === "slice") return "[]interface {}";
  return kind === "nil" ? "<nil>" : kind;
}

interface Spec {
  verb: string;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  precision: number | undefined;
}

/** fmt.Sprintf: flags (`-+# 0`), width, precision and the verbs of fmt; wrong types print as Go does (`%!d(float64=2)`). */
export function sprintf(format: string, args: unknown[]): string {
  let out = "";
  let next = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i++]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const spec: Spec = { verb: "", minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, precision: undefined };
    for (; i < format.length && "-+# 0".includes(format[i]!); i++) {
      const flag = format[i]!;
      if (flag === "-") spec.minus = true;
      else if (flag === "+") spec.plus = true;
      else if (flag === "#") spec.sharp = true;
      else if (flag === " ") spec.space = true;
      else spec.zero = true;
    }
    const number = (): number | undefined => {
      if (format[i] === "*") {
        i++;
        const arg = args[next++];
        return typeof arg === "bigint" ? Number(arg) : undefined;
      }
      const digits = /^\d+/.exec(format.slice(i))?.[0];
      if (digits === undefined) return undefined;
      i += digits.length;
      return Number(digits);
    };
    spec.width = number();
    if (format[i] === ".") {
      i++;
      spec.precision = number() ?? 0;
    }
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    spec.verb = String.fromCodePoint(format.codePointAt(i)!);
    i += spec.verb.length;
    if (spec.verb === "%") {
      out += "%";
      continue;
    }
    if (next >= args.length) {
      out += `%!${spec.verb}(MISSING)`;
      continue;
    }
    out += formatArg(spec, args[next++]);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => (goKind(a) === "nil" ? "<nil>" : `${goTypeName(a)}=${formatGoValue(a)}`))
      .join(", ")})`;
  }
  return out;
}

function formatArg(spec: Spec, value: unknown): string {
  const { verb } = spec;
  if (verb === "T") return pad(spec, goTypeName(value));
  if (verb === "v" && spec.sharp) return pad(spec, goSyntax(value));
  // %+v asks for field names (of structs), not for a sign.
  if (verb === "v" && spec.plus) return formatArg({ ...spec, plus: false }, value);
  const kind = goKind(value);
  switch (kind) {
    case "nil":
      return verb === "v" ? pad(spec, "<nil>") : badVerb(spec, value);
    case "bool":
      return verb === "v" || verb === "t" ? pad(spec, String(value)) : badVerb(spec, value);
    case "int":
      return formatInt(spec, value as bigint);
    case "float64":
      return formatFloatVerb(spec, value as number);
    case "string":
      return formatString(spec, value as string);
    case "slice": {
      if (verb === "s" || verb === "q" || verb === "x" || verb === "X" || verb === "v" || "bdoOcUeEfFgGt".includes(verb)) {
        return `[${(value as unknown[]).map((v) => formatArg(spec, v)).join(" ")}]`;
      }
      return badVerb(spec, value);
    }
    case "map":
    case "struct": {
      const map = value as Record<string, unknown>;
      const entries = Object.keys(map)
        .sort()
        .map((k) => `${formatArg(spec, k)}:${formatArg(spec, map[k])}`);
      return `map[${entries.join(" ")}]`;
    }
    default:
      return badVerb(spec, value);
  }
}

function badVerb(spec: Spec, value: unknown): string {
  return goKind(value) === "nil" ? `%!${spec.verb}(<nil>)` : `%!${spec.verb}(${goTypeName(value)}=${formatGoValue(value)})`;
}

/** Pads to the width: spaces on the left, on the right with `-`, zeros after the sign with `0` (numbers) . */
function pad(spec: Spec, text: string, numeric = false): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  const fill = width - length;
  if (spec.minus) return text + " ".repeat(fill);
  if (spec.zero) {
    const sign = numeric && /^[-+ ]/.test(text) ? text[0]! : "";
    return sign + "0".repeat(fill) + text.slice(sign.length);
  }
  return " ".repeat(fill) + text;
}

function signed(spec: Spec, negative: boolean, digits: string): string {
  return (negative ? "-" : spec.plus ? "+" : spec.space ? " " : "") + digits;
}

function formatInt(spec: Spec, n: bigint): string {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const digitsIn = (radix: number, upper = false) => {
    let digits = abs.toString(radix);
    if (upper) digits = digits.toUpperCase();
    if (spec.precision !== undefined) digits = spec.precision === 0 && abs === 0n ? "" : digits.padStart(spec.precision, "0");
    return digits;
  };
  // A precision sets the digits' minimum; zero padding then does not apply.
  const padInt = (text: string) => pad(spec.precision !== undefined ? { ...spec, zero: false } : spec, text, true);
  switch (spec.verb) {
    case "d":
    case "v":
      return padInt(signed(spec, negative, digitsIn(10)));
    case "b":
      return padInt(signed(spec, negative, (spec.sharp ? "0b" : "") + digitsIn(2)));
    case "o":
      return padInt(signed(spec, negative, (spec.sharp ? "0" : "") + digitsIn(8)));
    case "O":
      return padInt(signed(spec, negative, "0o" + digitsIn(8)));
    case "x":
      return padInt(signed(spec, negative, (spec.sharp ? "0x" : "") + digitsIn(16)));
    case "X":
      return padInt(signed(spec, negative, (spec.sharp ? "0X" : "") + digitsIn(16, true)));
    case "c":
      return pad(spec, runeOf(n));
    case "q":
      return pad(spec, `'${quoteRune(runeOf(n), "'")}'`);
    case "U": {
      const text = `U+${abs.toString(16).toUpperCase().padStart(4, "0")}`;
      return pad(spec, spec.sharp ? `${text} '${runeOf(n)}'` : text);
    }
    default:
      return badVerb(spec, n);
  }
}

function runeOf(n: bigint): string {
  return n >= 0n && n <= 0x10ffffn && !(n >= 0xd800n && n <= 0xdfffn) ? String.fromCodePoint(Number(n)) : "\uFFFD";
}

function formatFloatVerb(spec: Spec, f: number): string {
  const { verb } = spec;
  if (!"veEfFgG".includes(verb)) return badVerb(spec, f);
  if (!Number.isFinite(f)) {
    const text = Number.isNaN(f) ? (spec.plus ? "+NaN" : spec.space ? " NaN" : "NaN") : f > 0 ? (spec.plus ? "+Inf" : spec.space ? " Inf" : "+Inf") : "-Inf";
    return pad({ ...spec, zero: false }, verb === "v" && f > 0 && !spec.plus && !spec.space ? "+Inf" : text);
  }
  const negative = f < 0 || Object.is(f, -0);
  const abs = Math.abs(f);
  let digits: string;
  switch (verb) {
    case "e":
    case "E":
      digits = exponent(abs.toExponential(spec.precision ?? 6));
      break;
    case "f":
    case "F":
      digits = abs.toFixed(spec.precision ?? 6);
      break;
    default:
      digits = spec.precision === undefined ? formatFloat(abs) : precisionG(abs, spec.precision === 0 ? 1 : spec.precision, spec.sharp);
  }
  if (verb === "E" || verb === "G") digits = digits.toUpperCase();
  return pad(spec, signed(spec, negative, digits), true);
}

/** JavaScript's `1.5e+0` as Go's `1.5e+00`. */
function exponent(text: string): string {
  return text.replace(/e([-+])(\d)$/, "e$10$2");
}

/** %.Ng: N significant digits, in %e form when the exponent is below -4 or from N on; trailing zeros dropped (not with #). */
function precisionG(abs: number, precision: number, sharp: boolean): string {
  const exp = abs === 0 ? 0 : Number(abs.toExponential(precision - 1).split("e")[1]);
  let text = exp < -4 || exp >= precision ? exponent(abs.toExponential(precision - 1)) : abs.toFixed(Math.max(0, precision - 1 - exp));
  if (sharp) return text;
  const [mantissa, exp10] = text.split("e") as [string, string | undefined];
  const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  return exp10 === undefined ? trimmed : `${trimmed}e${exp10}`;
}

function formatString(spec: Spec, s: string): string {
  const text = spec.precision !== undefined ? [...s].slice(0, spec.precision).join("") : s;
  switch (spec.verb) {
    case "s":
    case "v":
      return pad(spec, text);
    case "q":
      return pad(spec, spec.sharp && canBackquote(text) ? `\`${text}\`` : goQuote(text, spec.plus));
    case "x":
    case "X": {
      const hex = [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, "0"));
      const prefix = spec.sharp ? "0x" : "";
      let out = spec.space ? hex.map((h) => prefix + h).join(" ") : prefix + hex.join("");
      if (spec.verb === "X") out = out.toUpperCase();
      return pad(spec, out);
    }
    default:
      return badVerb(spec, s);
  }
}

function canBackquote(s: string): boolean {
  // oxlint-disable-next-line no-control-regex -- Go's strconv.CanBackquote refuses exactly these control characters
  return !/[`\u0000-\u0008\u000a-\u001f\u007f\uFEFF]/.test(s);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const ESCAPES: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\" };

function quoteRune(c: string, quote: string, asciiOnly = false): string {
  if (c === quote) return `\\${quote}`;
  if (ESCAPES[c]) return ESCAPES[c];
  const code = c.codePointAt(0)!;
  if (PRINTABLE.test(c) && !(asciiOnly && code >= 0x80)) return c;
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, "0")}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
}

/** strconv.Quote (strconv.QuoteToASCII with `asciiOnly`). */
export function goQuote(text: string, asciiOnly = false): string {
  return `"${[...text].map((c) => quoteRune(c, '"', asciiOnly)).join("")}"`;
}

/** %#v: the value as Go source. */
function goSyntax(value: unknown): string {
  switch (goKind(value)) {
    case "nil":
      return "<nil>";
    case "string":
      return goQuote(value as string);
    case "float64":
      return formatFloat(value as number);
    case "slice":
      return `[]interface {}{${(value as unknown[]).map(goSyntax).join(", ")}}`;
    case "map":
    case "struct": {
      const map = value as Record<string, unknown>;
      return `map[string]interface {}{${Object.keys(map)
        .sort()
        .map((k) => `${goQuote(k)}:${goSyntax(map[k])}`)
        .join(", ")}}`;
    }
    default:
      return String(value);
  }
}
