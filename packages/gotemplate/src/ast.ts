/** The parse tree of Go text/template. */
export type Arg =
  | { type: "dot" }
  | { type: "field"; names: string[] }
  | { type: "variable"; name: string; names: string[] }
  | { type: "identifier"; name: string }
  | { type: "string"; value: string }
  | { type: "number"; value: number | bigint }
  | { type: "bool"; value: boolean }
  | { type: "nil" }
  | { type: "pipe"; pipe: Pipeline; names: string[] };

export interface Command {
  args: Arg[];
}

export interface Pipeline {
  line: number;
  decl: string[];
  /** `$x = …` re-assigns; `$x := …` declares. */
  assign: boolean;
  cmds: Command[];
}

export type Node =
  { type: "text"; text: string } | { type: "action"; pipe: Pipeline } | BlockNode | { type: "template"; line: number; name: string; pipe: Pipeline | undefined } | { type: "break" | "continue"; line: number };

/** if, with and range: a body, and the else branch (`else if` is an if nested in it). */
export interface BlockNode {
  type: "if" | "with" | "range";
  pipe: Pipeline;
  list: Node[];
  elseList: Node[];
}
