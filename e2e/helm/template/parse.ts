import type { Arg, BlockNode, Command, Node, Pipeline } from "./ast.js";
import { lexTemplate, type Segment } from "./lex.js";
import { TemplateError } from "./template-error.js";
import { tokenizeAction, type Token } from "./tokens.js";

export interface ParsedTemplate {
  root: Node[];
  defines: Map<string, Node[]>;
}

type Block = { type: BlockNode["type"]; node: BlockNode; inElse: boolean; chained: boolean };

/** Parses one template file: its body and the `define`s it declares. `knownFunctions` are checked at parse time, as Go does. */
export function parseTemplate(name: string, input: string, knownFunctions: ReadonlySet<string>): ParsedTemplate {
  const defines = new Map<string, Node[]>();
  const root: Node[] = [];
  // Each frame is a list being filled; blocks and defines push frames.
  const stack: { list: Node[]; block?: Block; define?: string; line: number }[] = [{ list: root, line: 0 }];
  const current = () => stack[stack.length - 1]!;
  const fail = (line: number, message: string): never => {
    throw new TemplateError(name, line, message);
  };
  let rangeDepth = 0;

  for (const seg of lexTemplate(name, input)) {
    if (seg.kind === "text") {
      current().list.push({ type: "text", text: seg.text });
      continue;
    }
    const { line } = seg;
    let tokens: Token[];
    try {
      tokens = tokenizeAction(seg.source);
    } catch (err) {
      return fail(line, (err as Error).message);
    }
    if (tokens.length === 0) fail(line, "missing value for command");
    const first = tokens[0]!;
    const keyword = first.type === "identifier" ? first.value : undefined;
    const rest = tokens.slice(1);
    const pipe = (toks: Token[]) => parsePipeline(toks, line, knownFunctions, fail);

    if (keyword === "if" || keyword === "with" || keyword === "range") {
      const node = { type: keyword, pipe: pipe(rest), list: [], elseList: [] } as BlockNode;
      if (keyword === "range") rangeDepth++;
      current().list.push(node);
      stack.push({ list: node.list, block: { type: keyword, node, inElse: false, chained: false }, line });
    } else if (keyword === "else") {
      const frame = current();
      if (!frame.block || frame.block.inElse) fail(line, "unexpected {{else}}");
      const block = frame.block!;
      block.inElse = true;
      frame.list = block.node.elseList;
      const chain = rest[0]?.type === "identifier" ? rest[0].value : undefined;
      if (chain === "if" || chain === "with") {
        // `else if` is an if nested in the else list, closed by the same {{end}}.
        const node = { type: chain, pipe: pipe(rest.slice(1)), list: [], elseList: [] } as BlockNode;
        frame.list.push(node);
        stack.push({ list: node.list, block: { type: chain, node, inElse: false, chained: true }, line });
      } else if (rest.length > 0) fail(line, "unexpected tokens after else");
    } else if (keyword === "end") {
      if (rest.length > 0) fail(line, "unexpected tokens after end");
      if (stack.length === 1) fail(line, "unexpected {{end}}");
      let frame = stack.pop()!;
      while (frame.block?.chained) frame = stack.pop()!;
      if (frame.block?.type === "range") rangeDepth--;
      if (frame.define !== undefined) defines.set(frame.define, frame.list);
    } else if (keyword === "define" || keyword === "block") {
      const nameTok = rest[0];
      if (nameTok?.type !== "string") return fail(line, `${keyword} needs a quoted name`);
      if (keyword === "define" && stack.length !== 1) fail(line, "define inside a block");
      if (keyword === "block") current().list.push({ type: "template", line, name: nameTok.value, pipe: pipe(rest.slice(1)) });
      stack.push({ list: [], define: nameTok.value, line });
    } else if (keyword === "template") {
      const nameTok = rest[0];
      if (nameTok?.type !== "string") return fail(line, "template needs a quoted name");
      current().list.push({ type: "template", line, name: nameTok.value, pipe: rest.length > 1 ? pipe(rest.slice(1)) : undefined });
    } else if (keyword === "break" || keyword === "continue") {
      if (rangeDepth === 0) fail(line, `{{${keyword}}} outside {{range}}`);
      current().list.push({ type: keyword, line });
    } else {
      current().list.push({ type: "action", pipe: pipe(tokens) });
    }
  }
  if (stack.length > 1) fail(current().line, "unexpected EOF (missing {{end}})");
  return { root, defines };
}

function parsePipeline(tokens: Token[], line: number, known: ReadonlySet<string>, fail: (line: number, m: string) => never): Pipeline {
  let i = 0;
  const decl: string[] = [];
  let assign = false;
  const declEnd = tokens.findIndex((t) => t.type === ":=" || t.type === "=");
  if (declEnd > 0 && tokens.slice(0, declEnd).every((t) => t.type === "variable" || t.type === ",")) {
    for (const t of tokens.slice(0, declEnd)) if (t.type === "variable") decl.push(t.name);
    assign = tokens[declEnd]!.type === "=";
    i = declEnd + 1;
  }
  const parse = (): { cmds: Command[]; end: number } => {
    const cmds: Command[] = [];
    let args: Arg[] = [];
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t.type === ")") break;
      i++;
      if (t.type === "|") {
        if (args.length === 0) fail(line, "missing command before |");
        cmds.push({ args });
        args = [];
        continue;
      }
      args.push(operand(t));
    }
    if (args.length === 0) fail(line, cmds.length ? "missing command after |" : "missing value for command");
    cmds.push({ args });
    return { cmds, end: i };
  };
  const operand = (t: Token): Arg => {
    switch (t.type) {
      case "dot":
        return { type: "dot" };
      case "field":
        return { type: "field", names: t.names };
      case "variable":
        return { type: "variable", name: t.name, names: t.names };
      case "string":
        return { type: "string", value: t.value };
      case "number":
        return { type: "number", value: t.value };
      case "identifier":
        if (t.value === "true" || t.value === "false") return { type: "bool", value: t.value === "true" };
        if (t.value === "nil") return { type: "nil" };
        if (!known.has(t.value)) return fail(line, `function "${t.value}" not defined`);
        return { type: "identifier", name: t.value };
      case "(": {
        const inner = parse();
        if (tokens[i]?.type !== ")") fail(line, "unclosed left paren");
        i++;
        const next = tokens[i];
        let names: string[] = [];
        if (next?.type === "field" && !next.spaced) {
          names = next.names;
          i++;
        }
        return { type: "pipe", pipe: { line, decl: [], assign: false, cmds: inner.cmds }, names };
      }
      default:
        return fail(line, `unexpected "${t.type}" in operand`);
    }
  };
  const { cmds } = parse();
  if (i < tokens.length) fail(line, `unexpected "${tokens[i]!.type}" in command`);
  return { line, decl, assign, cmds };
}
