import { stringEnd } from "./lex.js";

export type Token =
  | { type: "field"; names: string[]; spaced: boolean }
  | { type: "variable"; name: string; names: string[]; spaced: boolean }
  | { type: "identifier" | "string"; value: string; spaced: boolean }
  | { type: "number"; value: number | bigint; spaced: boolean }
  | { type: "(" | ")" | "|" | "," | ":=" | "=" | "dot"; spaced: boolean };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const CHAIN = /^(\.[A-Za-z_][A-Za-z0-9_]*)+/;
const NUMBER = /^-?(0[xX][0-9a-fA-F]+|\d+(\.\d*)?([eE][+-]?\d+)?)/;

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
      const text = m[0];
      const isInt = /^-?(0[xX][0-9a-fA-F]+|\d+)$/.test(text);
      tokens.push({ type: "number", value: isInt ? parseInt64(text) : Number(text), spaced });
      i += text.length;
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

function parseInt64(text: string): bigint {
  return text.startsWith("-") ? -BigInt(text.slice(1)) : BigInt(text);
}

function unquote(raw: string): string {
  // Go's escapes are a superset of JSON's for what templates use (\n \t \" \\ \uXXXX).
  return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1").replace(/\\'/g, "'")) as string;
}
