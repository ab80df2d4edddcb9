import { type Command, type Node, type Operand, TEMPLATE_FUNCTIONS, TemplateSyntaxError } from "./ast.js";
import { type Piece, splitActions, type Token, tokenize } from "./lex.js";

type Block = "if" | "range" | "with";

/** Parses the Go text/template subset: fields, `if`/`else if`/`else`, `range`, `with`, comments, trim markers. */
export function parseTemplate(source: string): Node[] {
  return new Parser(splitActions(source)).parseList(undefined).nodes;
}

interface List {
  nodes: Node[];
  /** What closed the list: `{{end}}`, `{{else}}`, `{{else if …}}` (carrying the chained if), or the input's end. */
  stop: "end" | "else" | "eof" | { elseIf: Node };
}

class Parser {
  private index = 0;

  constructor(private readonly pieces: Piece[]) {}

  parseList(block: Block | undefined): List {
    const nodes: Node[] = [];
    while (this.index < this.pieces.length) {
      const piece = this.pieces[this.index++]!;
      if (piece.kind === "text") {
        nodes.push({ kind: "text", text: piece.text });
        continue;
      }
      const fail = (what: string): never => {
        throw new TemplateSyntaxError(`line ${piece.line}: ${what}`);
      };
      const tokens = tokenize(piece.body, piece.line);
      const head = tokens[0] ?? fail("missing value for command");
      const keyword = head.kind === "ident" ? head.name : undefined;
      if (keyword === "end" || keyword === "else") {
        if (!block) fail(`unexpected {{${keyword}}}`);
        const second = tokens[1];
        if (keyword === "else" && block === "if" && second?.kind === "ident" && second.name === "if") {
          return { nodes, stop: { elseIf: this.parseBlock("if", tokens.slice(2), piece.line) } };
        }
        if (tokens.length > 1) fail(`unexpected tokens after ${keyword}`);
        return { nodes, stop: keyword };
      }
      if (keyword === "if" || keyword === "range" || keyword === "with") {
        nodes.push(this.parseBlock(keyword, tokens.slice(1), piece.line));
        continue;
      }
      if (keyword === "define" || keyword === "template" || keyword === "block") fail(`{{${keyword}}} is not supported`);
      nodes.push({ kind: "print", command: parseCommand(tokens, piece.line), line: piece.line });
    }
    if (block) throw new TemplateSyntaxError(`unexpected EOF: {{${block}}} without {{end}}`);
    return { nodes, stop: "eof" };
  }

  private parseBlock(block: Block, tokens: Token[], line: number): Node {
    if (tokens.length === 0) throw new TemplateSyntaxError(`line ${line}: missing value for ${block}`);
    const command = parseCommand(tokens, line);
    const body = this.parseList(block);
    let otherwise: Node[] = [];
    if (typeof body.stop === "object") otherwise = [body.stop.elseIf];
    else if (body.stop === "else") {
      const rest = this.parseList(block);
      if (rest.stop !== "end") throw new TemplateSyntaxError(`line ${line}: expected {{end}} after {{else}}`);
      otherwise = rest.nodes;
    }
    if (block === "if") return { kind: "if", cond: command, then: body.nodes, else: otherwise, line };
    if (block === "range") return { kind: "range", over: command, body: body.nodes, else: otherwise, line };
    return { kind: "with", value: command, body: body.nodes, else: otherwise, line };
  }
}

function parseCommand(tokens: Token[], line: number): Command {
  const [head, ...args] = tokens;
  if (head?.kind === "ident" && !isLiteralIdent(head.name)) {
    if (!TEMPLATE_FUNCTIONS.has(head.name)) throw new TemplateSyntaxError(`line ${line}: function "${head.name}" not defined`);
    return { kind: "call", name: head.name, args: args.map((t) => toOperand(t, line)) };
  }
  if (args.length > 0) throw new TemplateSyntaxError(`line ${line}: can't give argument to non-function`);
  return { kind: "operand", operand: toOperand(head!, line) };
}

function isLiteralIdent(name: string): boolean {
  return name === "true" || name === "false" || name === "nil";
}

function toOperand(token: Token, line: number): Operand {
  switch (token.kind) {
    case "field":
      return { kind: "field", root: token.root, path: token.path };
    case "string":
      return { kind: "string", value: token.value };
    case "number":
      return { kind: "number", value: token.value };
    case "ident":
      if (token.name === "true" || token.name === "false") return { kind: "bool", value: token.name === "true" };
      if (token.name === "nil") return { kind: "nil" };
      throw new TemplateSyntaxError(`line ${line}: function "${token.name}" used as an argument is not supported`);
  }
}
