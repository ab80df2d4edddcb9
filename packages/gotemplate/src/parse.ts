import type { Arg, BlockNode, Command, Node, Pipeline } from "./ast.js";
import { lexTemplate } from "./lex.js";
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
  const stack: { list: Node[]; block?: Block; define?: string; line: number; vars: string[] }[] = [{ list: root, line: 0, vars: [] }];
  // The variables in scope, checked at parse time as Go does; a block's end drops the ones declared in it.
  let vars = ["$"];
  const current = () => stack[stack.length - 1]!;
  const fail = (line: number, message: string): never => {
    throw new TemplateError(name, line, message, "parse");
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
    const pipe = (toks: Token[], context = keyword ?? "command") => parsePipeline(toks, line, context, knownFunctions, vars, fail);

    if (keyword === "if" || keyword === "with" || keyword === "range") {
      const outer = [...vars];
      const node = { type: keyword, pipe: pipe(rest), list: [], elseList: [] } as BlockNode;
      if (keyword === "range") rangeDepth++;
      current().list.push(node);
      stack.push({ list: node.list, block: { type: keyword, node, inElse: false, chained: false }, line, vars: outer });
    } else if (keyword === "else") {
      const frame = current();
      if (!frame.block) fail(line, "unexpected {{else}}");
      if (frame.block!.inElse) fail(line, "expected end; found {{else}}");
      const block = frame.block!;
      block.inElse = true;
      frame.list = block.node.elseList;
      const chain = rest[0]?.type === "identifier" ? rest[0].value : undefined;
      if (chain === "if" || chain === "with") {
        // `else if` is an if nested in the else list, closed by the same {{end}}.
        const outer = [...vars];
        const node = { type: chain, pipe: pipe(rest.slice(1), chain), list: [], elseList: [] } as BlockNode;
        frame.list.push(node);
        stack.push({ list: node.list, block: { type: chain, node, inElse: false, chained: true }, line, vars: outer });
      } else if (rest.length > 0) fail(line, "unexpected tokens after else");
    } else if (keyword === "end") {
      if (rest.length > 0) fail(line, "unexpected tokens after end");
      if (stack.length === 1) fail(line, "unexpected {{end}}");
      let frame = stack.pop()!;
      while (frame.block?.chained) frame = stack.pop()!;
      vars = frame.vars;
      if (frame.block?.type === "range") rangeDepth--;
      if (frame.define !== undefined) {
        // As Go's Parse: a name defined twice in one text fails, unless one of the bodies is empty.
        const earlier = defines.get(frame.define);
        if (earlier && !isEmpty(earlier) && !isEmpty(frame.list)) fail(line, `template: multiple definition of template "${frame.define}"`);
        if (!earlier || !isEmpty(frame.list)) defines.set(frame.define, frame.list);
      }
    } else if (keyword === "define" || keyword === "block") {
      const nameTok = rest[0];
      if (nameTok?.type !== "string") return fail(line, `unexpected ${JSON.stringify(nameTok ? tokenText(nameTok) : "}}")} in ${keyword} clause`);
      if (keyword === "define" && stack.length !== 1) fail(line, "define inside a block");
      if (keyword === "block") current().list.push({ type: "template", line, name: nameTok.value, pipe: pipe(rest.slice(1)) });
      stack.push({ list: [], define: nameTok.value, line, vars });
      vars = ["$"];
    } else if (keyword === "template") {
      const nameTok = rest[0];
      if (nameTok?.type !== "string") return fail(line, `unexpected ${JSON.stringify(nameTok ? tokenText(nameTok) : "}}")} in template clause`);
      current().list.push({ type: "template", line, name: nameTok.value, pipe: rest.length > 1 ? pipe(rest.slice(1)) : undefined });
    } else if (keyword === "break" || keyword === "continue") {
      if (rangeDepth === 0) fail(line, `{{${keyword}}} outside {{range}}`);
      if (rest.length > 0) fail(line, `unexpected ${JSON.stringify(tokenText(rest[0]!))} in {{${keyword}}}`);
      current().list.push({ type: keyword, line });
    } else {
      current().list.push({ type: "action", pipe: pipe(tokens, "command") });
    }
  }
  if (stack.length > 1) fail(input.split("\n").length, "unexpected EOF");
  return { root, defines };
}

function isEmpty(nodes: Node[]): boolean {
  return nodes.every((node) => node.type === "text" && node.text.trim() === "");
}

/** How Go names a token in "unexpected …" errors. */
function tokenText(token: Token): string {
  if (token.type === "field") return `.${token.names.join(".")}`;
  if (token.type === "variable") return [token.name, ...token.names].join(".");
  if (token.type === "dot") return ".";
  if (token.type === "string") return JSON.stringify(token.value);
  return "value" in token ? String(token.value) : token.type;
}

function parsePipeline(tokens: Token[], line: number, context: string, known: ReadonlySet<string>, vars: string[], fail: (line: number, m: string) => never): Pipeline {
  let i = 0;
  const decl: string[] = [];
  let assign = false;
  const declEnd = tokens.findIndex((t) => t.type === ":=" || t.type === "=");
  if (declEnd > 0 && tokens.slice(0, declEnd).every((t) => t.type === "variable" || t.type === ",")) {
    for (const t of tokens.slice(0, declEnd)) if (t.type === "variable") decl.push(t.name);
    if (decl.length > (context === "range" ? 2 : 1)) fail(line, `too many declarations in ${context}`);
    vars.push(...decl);
    assign = tokens[declEnd]!.type === "=";
    i = declEnd + 1;
  }
  const parse = (within: string): { cmds: Command[]; end: number } => {
    const cmds: Command[] = [];
    let args: Arg[] = [];
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t.type === ")") break;
      i++;
      // What cannot start an operand: Go names the command when nothing came before it, else the operand.
      if (t.type === ":=" || t.type === "=" || t.type === ",") fail(line, `unexpected "${t.type}" in ${args.length === 0 ? within : "operand"}`);
      if (t.type === "|") {
        if (args.length === 0) fail(line, `unexpected "|" in command`);
        cmds.push({ args });
        args = [];
        continue;
      }
      args.push(operand(t));
    }
    // Go accepts a pipe with nothing after it: `{{ .a | }}` is `{{ .a }}`.
    if (args.length > 0) cmds.push({ args });
    if (cmds.length === 0) fail(line, `missing value for ${within}`);
    cmds.slice(1).forEach((cmd, i) => {
      if (["bool", "dot", "nil", "number", "string"].includes(cmd.args[0]!.type)) fail(line, `non executable command in pipeline stage ${i + 2}`);
    });
    return { cmds, end: i };
  };
  const operand = (t: Token): Arg => {
    switch (t.type) {
      case "dot":
        return { type: "dot" };
      case "field":
        return { type: "field", names: t.names };
      case "variable":
        if (!vars.includes(t.name)) fail(line, `undefined variable "${t.name}"`);
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
        const inner = parse("parenthesized pipeline");
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
  const { cmds } = parse(context);
  if (tokens[i]?.type === ")") fail(line, "unexpected right paren");
  if (i < tokens.length) fail(line, `unexpected "${tokens[i]!.type}" in command`);
  return { line, decl, assign, cmds };
}
