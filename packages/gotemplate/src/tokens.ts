import { stringEnd } from "./lex.js";

export type Token =
  | { type: "field"; names: string[]; spaced: boolean }
  | { type: "variable"; name: string; names: string[]; spaced: boolean }
  | { type: "identifier" | "string"; value: string; spaced: boolean }
  | { type: "number"; value: number | bigint; spaced: boolean }
  | { type: "(" | ")" | "|" | "," | ":=" | "=" | "dot"; spaced: boolean };

// Go's identifiers: letters and digits of any script, and `_`.
const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*/u;
const CHAIN = /^(\.[\p{L}_][\p{L}\p{Nd}_]*)+/u;
// Go's number literals: a sign, 0x/0o/0b prefixes, a leading-0 octal, `_` separators, `.5`, exponents.
const NUMBER = /^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?[\d_]+)?)/;
const CHAR = /^'(\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)|[^\\'\n])'/u;

/** Splits an action's source into tokens; `spaced` records whitespace before a token (`(x).f` vs `(x) .f`). */
export function tokenizeAction(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  while (i < source.length) {
    const rest = source.slice(i);
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    let m: RegExpMatchArray | null;
    if (rest.startsWith(":=")) {
      tokens.push({ type: ":=", spaced });
      i += 2;
    } else if ("()|,=".includes(c)) {
      tokens.push({ type: c as "(" | ")" | "|" | "," | "=", spaced });
      i++;
    } else if (c === '"' || c === "`") {
      const end = stringEnd(source, i);
      if (end < 0) throw new Error("unterminated quoted string");
      const raw = source.slice(i, end + 1);
      tokens.push({ type: "string", value: c === "`" ? raw.slice(1, -1) : unquote(raw), spaced });
      i = end + 1;
    } else if (c === "$") {
      const name = "$" + (IDENT.exec(rest.slice(1))?.[0] ?? "");
      const chain = CHAIN.exec(rest.slice(name.length))?.[0] ?? "";
      tokens.push({ type: "variable", name, names: chain.split(".").slice(1), spaced });
      i += name.length + chain.length;
    } else if (c === "." && !/[0-9]/.test(source[i + 1] ?? "")) {
      m = CHAIN.exec(rest);
      if (m) {
        tokens.push({ type: "field", names: m[0].split(".").slice(1), spaced });
        i += m[0].length;
      } else {
        tokens.push({ type: "dot", spaced });
        i++;
      }
    } else if ((m = NUMBER.exec(rest))) {
      tokens.push({ type: "number", value: numberValue(m[0]), spaced });
      i += m[0].length;
    } else if ((m = CHAR.exec(rest))) {
      // A character constant is its code point, an int.
      const char = m[1] === "\\'" ? "'" : m[1] === '"' ? '"' : unquote(`"${m[1]!}"`);
      tokens.push({ type: "number", value: BigInt(char.codePointAt(0)!), spaced });
      i += m[0].length;
    } else if ((m = IDENT.exec(rest))) {
      tokens.push({ type: "identifier", value: m[0], spaced });
      i += m[0].length;
    } else {
      throw new Error(`unexpected "${c}" in command`);
    }
    spaced = false;
  }
  return tokens;
}

/** A literal with a fraction or an exponent is a float64, any other an int (Go's idealConstant). */
function numberValue(literal: string): number | bigint {
  const text = literal.replaceAll("_", "");
  const sign = text.startsWith("-") ? -1n : 1n;
  const digits = text.replace(/^[+-]/, "");
  if (!/^0[xX]/.test(digits) && /[.eE]/.test(digits)) return Number(text);
  return sign * BigInt(/^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits);
}

function unquote(raw: string): string {
  // Go's escapes are a superset of JSON's for what templates use (\n \t \" \\ \uXXXX).
  return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1").replace(/\\'/g, "'")) as string;
}
