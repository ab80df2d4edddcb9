import { TemplateSyntaxError } from "./ast.js";

export type Piece = { kind: "text"; text: string } | { kind: "action"; body: string; line: number };

const TRIM_SPACE = /[ \t\r\n]/;

/** Splits a template into text and `{{…}}` actions, applying `{{-` / `-}}` trim markers and dropping comments. */
export function splitActions(source: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos <= source.length) {
    const open = source.indexOf("{{", pos);
    let text = source.slice(pos, open === -1 ? source.length : open);
    if (trimNextText) text = text.replace(/^[ \t\r\n]+/, "");
    if (open === -1) {
      if (text) pieces.push({ kind: "text", text });
      break;
    }
    const line = lineAt(source, open);
    const close = source.indexOf("}}", open + 2);
    if (close === -1) throw new TemplateSyntaxError(`line ${line}: unclosed action`);
    let body = source.slice(open + 2, close);
    if (body.startsWith("-") && TRIM_SPACE.test(body[1] ?? "")) {
      text = text.replace(/[ \t\r\n]+$/, "");
      body = body.slice(1);
    }
    trimNextText = false;
    if (body.endsWith("-") && TRIM_SPACE.test(body[body.length - 2] ?? "")) {
      trimNextText = true;
      body = body.slice(0, -1);
    }
    if (text) pieces.push({ kind: "text", text });
    body = body.trim();
    if (body.startsWith("/*")) {
      if (!body.endsWith("*/")) throw new TemplateSyntaxError(`line ${line}: unclosed comment`);
    } else {
      pieces.push({ kind: "action", body, line });
    }
    pos = close + 2;
  }
  return pieces;
}

export type Token =
  | { kind: "field"; root: "dot" | "root"; path: string[] }
  | { kind: "ident"; name: string }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number };

const FIELD = /^(\$)?((?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const NUMBER = /^[-+]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/;

/** Tokens of one action body, e.g. `if eq .a "x"` → ident, ident, field, string. */
export function tokenize(body: string, line: number): Token[] {
  const tokens: Token[] = [];
  let rest = body;
  const fail = (what: string): never => {
    throw new TemplateSyntaxError(`line ${line}: ${what}`);
  };
  while ((rest = rest.replace(/^[ \t\r\n]+/, "")) !== "") {
    const ch = rest[0]!;
    if (ch === '"') {
      const match = /^"(?:[^"\\\n]|\\.)*"/.exec(rest) ?? fail("unterminated quoted string");
      tokens.push({ kind: "string", value: unquote(match[0]) ?? fail(`bad string ${match[0]}`) });
      rest = rest.slice(match[0].length);
    } else if (ch === "`") {
      const end = rest.indexOf("`", 1);
      if (end === -1) fail("unterminated raw quoted string");
      tokens.push({ kind: "string", value: rest.slice(1, end) });
      rest = rest.slice(end + 1);
    } else if (ch === "." || ch === "$") {
      const match = FIELD.exec(rest)!;
      if (match[0] === "" || (match[1] && match[2] === ".")) fail(`unexpected "${ch}" in operand`);
      const path = match[2] && match[2] !== "." ? match[2].slice(1).split(".") : [];
      tokens.push({ kind: "field", root: match[1] ? "root" : "dot", path });
      rest = rest.slice(match[0].length);
    } else if (/[-+0-9]/.test(ch)) {
      const match = NUMBER.exec(rest) ?? fail(`bad number syntax: ${JSON.stringify(rest.split(/\s/)[0])}`);
      tokens.push({ kind: "number", value: Number(match[0]) });
      rest = rest.slice(match[0].length);
    } else if (IDENT.test(rest)) {
      const name = IDENT.exec(rest)![0];
      tokens.push({ kind: "ident", name });
      rest = rest.slice(name.length);
    } else {
      fail(`unexpected ${JSON.stringify(ch)} in command`);
    }
    if (rest !== "" && !/^[ \t\r\n]/.test(rest)) fail(`unexpected ${JSON.stringify(rest[0])} in operand`);
  }
  return tokens;
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

function unquote(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}
