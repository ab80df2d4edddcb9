export type Operand =
  | { kind: "field"; root: "dot" | "root"; path: string[] }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "nil" };

/** An operand, or a function applied to operands (`eq .a "x"`). */
export type Command = { kind: "operand"; operand: Operand } | { kind: "call"; name: string; args: Operand[] };

export type Node =
  | { kind: "text"; text: string }
  | { kind: "print"; command: Command; line: number }
  | { kind: "if"; cond: Command; then: Node[]; else: Node[]; line: number }
  | { kind: "range"; over: Command; body: Node[]; else: Node[]; line: number }
  | { kind: "with"; value: Command; body: Node[]; else: Node[]; line: number };

export class TemplateSyntaxError extends Error {}
export class TemplateExecError extends Error {}

export const TEMPLATE_FUNCTIONS = new Set(["not", "and", "or", "eq", "ne", "len"]);
