import { TemplateError } from "./template-error.js";

export type Segment = { kind: "text"; text: string } | { kind: "action"; source: string; line: number };

const SPACE = /[ \t\r\n]/;

/** Splits a template into text and actions, applying `{{-` / `-}}` trimming and dropping comments. */
export function lexTemplate(name: string, input: string): Segment[] {
  const segments: Segment[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= input.length) {
    const open = input.indexOf("{{", pos);
    let text = input.slice(pos, open < 0 ? input.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    const trimBefore = open >= 0 && input[open + 2] === "-" && SPACE.test(input[open + 3] ?? "");
    if (trimBefore) text = text.replace(/[ \t\r\n]+$/, "");
    if (text) segments.push({ kind: "text", text });
    if (open < 0) break;
    const line = lineAt(input, open);
    const start = open + (trimBefore ? 3 : 2);
    const close = findClose(name, input, start, line);
    let source = input.slice(start, close);
    trimNext = /[ \t\r\n]-$/.test(source);
    if (trimNext) source = source.slice(0, -2);
    // As Go: a comment starts right after `{{` (or `{{- `) and ends right before `}}` (or ` -}}`).
    if (source.slice(trimBefore ? 1 : 0).startsWith("/*")) {
      if (!source.endsWith("*/")) {
        throw new TemplateError(name, line, source.includes("*/") ? "comment ends before closing delimiter" : "unclosed comment", "parse");
      }
    } else {
      segments.push({ kind: "action", source, line });
    }
    pos = close + 2;
  }
  return segments;
}

function findClose(name: string, input: string, from: number, line: number): number {
  let i = from;
  while (i < input.length) {
    const c = input[i];
    if (c === "}" && input[i + 1] === "}") return i;
    if (c === '"' || c === "`" || c === "'") {
      const end = stringEnd(input, i);
      if (end < 0) throw new TemplateError(name, line, "unterminated quoted string", "parse");
      i = end + 1;
      continue;
    }
    if (input.startsWith("/*", i)) {
      const end = input.indexOf("*/", i + 2);
      if (end < 0) throw new TemplateError(name, line, "unclosed comment", "parse");
      i = end + 2;
      continue;
    }
    i++;
  }
  throw new TemplateError(name, line, "unclosed action", "parse");
}

/** Index of the closing quote of the string starting at `start`, or -1. */
export function stringEnd(input: string, start: number): number {
  const quote = input[start];
  for (let i = start + 1; i < input.length; i++) {
    const c = input[i];
    if (quote !== "`" && c === "\\") i++;
    else if (c === quote) return i;
    else if (c === "\n" && quote !== "`") return -1;
  }
  return -1;
}

function lineAt(input: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (input[i] === "\n") line++;
  return line;
}
