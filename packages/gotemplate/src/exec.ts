import type { Arg, BlockNode, Command, Node, Pipeline } from "./ast.js";
import type { FunctionContext, FunctionSet } from "./functions/function-set.js";
import { formatGo, goKind, isTrue } from "./go-values.js";
import { goTypeName } from "./printf.js";
import { TemplateError } from "./template-error.js";

/** The named templates every template of a set can call (`define`s are global to the set, as in Helm). */
export type Defines = ReadonlyMap<string, { nodes: Node[]; file: string }>;

// Go's limit on wasm (100000 elsewhere); JavaScript's stack would not hold 100000.
const MAX_DEPTH = 1000;

class Break {}
class Continue {}

interface Variable {
  name: string;
  value: unknown;
}

/**
 * How an action's value is written: `value` is the value (`formatted` for a missing key), `formatted` how Go prints
 * it, `before` the output so far (its context).
 */
export type TemplatePrinter = (value: unknown, formatted: string, before: string) => string;

export interface ExecOptions {
  functions: FunctionSet;
  /** Go's `missingkey` option: a missing map key is nil (`<no value>`), or an error. */
  missingKey?: "default" | "error";
  printer?: TemplatePrinter;
}

/** Runs a parsed template on `data`, as text/template's Execute does. */
export function execute(file: string, nodes: Node[], data: unknown, defines: Defines, options: ExecOptions, depth = 0): string {
  if (depth > MAX_DEPTH) throw new TemplateError(file, 0, `exceeded maximum template depth (${MAX_DEPTH})`, "exec");
  const state = new Exec(file, defines, options, depth);
  const out: string[] = [];
  state.list(nodes, data, [{ name: "$", value: data }], out);
  return out.join("");
}

class Exec implements FunctionContext {
  private line = 0;

  constructor(
    private readonly file: string,
    private readonly defines: Defines,
    private readonly options: ExecOptions,
    private readonly depth: number,
  ) {}

  include(name: string, data: unknown): string {
    const def = this.defines.get(name);
    if (!def) throw new Error(`error calling include: template: no template "${name}" associated with template "gotpl"`);
    return execute(def.file, def.nodes, data, this.defines, this.options, this.depth + 1);
  }

  list(nodes: Node[], dot: unknown, vars: Variable[], out: string[]): void {
    for (const node of nodes) this.node(node, dot, vars, out);
  }

  private node(node: Node, dot: unknown, vars: Variable[], out: string[]): void {
    switch (node.type) {
      case "text":
        out.push(node.text);
        return;
      case "action": {
        const value = this.pipeline(node.pipe, dot, vars);
        if (node.pipe.decl.length > 0) return;
        const formatted = formatGo(value);
        const { printer } = this.options;
        out.push(printer ? printer(value === undefined ? formatted : value, formatted, out.join("")) : formatted);
        return;
      }
      case "if":
      case "with": {
        const scope = [...vars];
        const value = this.pipeline(node.pipe, dot, scope);
        if (isTrue(value)) this.list(node.list, node.type === "with" ? value : dot, scope, out);
        else this.list(node.elseList, dot, [...vars], out);
        return;
      }
      case "range":
        this.range(node, dot, vars, out);
        return;
      case "template": {
        this.line = node.line;
        const def = this.defines.get(node.name);
        if (!def) throw this.error(`template "${node.name}" not defined`);
        const value = node.pipe ? this.pipeline(node.pipe, dot, vars) : undefined;
        out.push(execute(def.file, def.nodes, value, this.defines, this.options, this.depth + 1));
        return;
      }
      case "break":
        throw new Break();
      case "continue":
        throw new Continue();
    }
  }

  private range(node: BlockNode, dot: unknown, vars: Variable[], out: string[]): void {
    const { decl } = node.pipe;
    const value = this.pipeline({ ...node.pipe, decl: [] }, dot, vars);
    const kind = goKind(value);
    let entries: [unknown, unknown][];
    if (kind === "slice") entries = (value as unknown[]).map((v, i) => [BigInt(i), v]);
    else if (kind === "int") {
      // Go 1.22 ranges over an int: 0, 1, … n-1, one variable at most.
      if (decl.length > 1) throw this.error(`can't use ${formatGo(value)} to iterate over more than one variable`);
      entries = Array.from({ length: Math.max(0, Number(value)) }, (_, i) => [BigInt(i), BigInt(i)]);
    } else if (kind === "map")
      entries = Object.keys(value as object)
        .sort()
        .map((k) => [k, (value as Record<string, unknown>)[k]]);
    else if (kind === "nil") entries = [];
    else throw this.error(`range can't iterate over ${formatGo(value)}`);
    if (entries.length === 0) {
      this.list(node.elseList, dot, [...vars], out);
      return;
    }
    for (const [key, element] of entries) {
      const scope = [...vars];
      if (decl.length === 1) scope.push({ name: decl[0]!, value: element });
      if (decl.length === 2) scope.push({ name: decl[0]!, value: key }, { name: decl[1]!, value: element });
      try {
        this.list(node.list, element, scope, out);
      } catch (signal) {
        if (signal instanceof Break) break;
        if (!(signal instanceof Continue)) throw signal;
      }
    }
  }

  private pipeline(pipe: Pipeline, dot: unknown, vars: Variable[]): unknown {
    this.line = pipe.line;
    let value: unknown;
    pipe.cmds.forEach((cmd, i) => {
      value = this.command(cmd, dot, vars, i > 0 ? { value } : undefined);
    });
    for (const name of pipe.decl) {
      if (pipe.assign) {
        const existing = [...vars].reverse().find((v) => v.name === name);
        if (!existing) throw this.error(`undefined variable: ${name}`);
        existing.value = value;
      } else {
        vars.push({ name, value });
      }
    }
    return value;
  }

  private command(cmd: Command, dot: unknown, vars: Variable[], final: { value: unknown } | undefined): unknown {
    const [first, ...rest] = cmd.args as [Arg, ...Arg[]];
    const args = () => [...rest.map((a) => this.arg(a, dot, vars)), ...(final ? [final.value] : [])];
    if (first.type === "identifier") return this.call(first.name, rest, final, dot, vars);
    if ((first.type === "field" || first.type === "variable" || first.type === "pipe") && first.names.length > 0) {
      const receiverNames = first.names.slice(0, -1);
      const base = first.type === "field" ? dot : first.type === "variable" ? this.variable(first.name, vars) : this.pipeline(first.pipe, dot, vars);
      if (rest.length === 0 && !final) return this.fields(base, first.names);
      return this.field(this.fields(base, receiverNames), first.names[first.names.length - 1]!, args());
    }
    if (first.type === "nil") throw this.error("nil is not a command");
    if (rest.length > 0 || final) throw this.error(`can't give argument to non-function ${describe(first)}`);
    return this.arg(first, dot, vars);
  }

  private call(name: string, rest: Arg[], final: { value: unknown } | undefined, dot: unknown, vars: Variable[]): unknown {
    const { functions } = this.options;
    const def = Object.hasOwn(functions, name) ? functions[name] : undefined;
    if (!def) throw this.error(`function "${name}" not defined`);
    const count = rest.length + (final ? 1 : 0);
    const [min, max] = def.arity;
    if (count < min || count > max) throw this.error(`wrong number of args for ${name}: want ${min === max ? min : `at least ${min}`} got ${count}`);
    if (def.shortCircuit) {
      // Lazy, as Go evaluates them: `and .a .a.b` must not touch .a.b when .a is empty.
      let value: unknown;
      for (const a of rest) {
        value = this.arg(a, dot, vars);
        if (isTrue(value) !== (def.shortCircuit === "and")) return value;
      }
      return final ? final.value : value;
    }
    const args = [...rest.map((a) => this.arg(a, dot, vars)), ...(final ? [final.value] : [])];
    try {
      return def.call(args, this);
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      throw this.error(`error calling ${name}: ${(err as Error).message}`, err);
    }
  }

  private arg(arg: Arg, dot: unknown, vars: Variable[]): unknown {
    switch (arg.type) {
      case "dot":
        return dot;
      case "field":
        return this.fields(dot, arg.names);
      case "variable":
        return this.fields(this.variable(arg.name, vars), arg.names);
      case "pipe":
        return this.fields(this.pipeline(arg.pipe, dot, vars), arg.names);
      case "identifier":
        return this.call(arg.name, [], undefined, dot, vars);
      case "nil":
        return null;
      default:
        return arg.value;
    }
  }

  private variable(name: string, vars: Variable[]): unknown {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i]!.name === name) return vars[i]!.value;
    throw this.error(`undefined variable "${name}"`);
  }

  /**
   * A chain on a nil that came from a map lookup fails ("nil pointer evaluating interface {}.x"); a nil from
   * dot, a variable or a parenthesized pipeline is an invalid value and yields nil (the `(.Values.a).b` idiom).
   */
  private fields(value: unknown, names: string[]): unknown {
    let receiver = value;
    let fromMap = false;
    for (const name of names) {
      if ((receiver === null || receiver === undefined) && !fromMap) return undefined;
      const viaInterface = fromMap;
      fromMap = goKind(receiver) === "map";
      receiver = this.field(receiver, name, undefined, viaInterface);
    }
    return receiver;
  }

  /** `viaInterface`: the receiver came out of a map, so Go names its type `interface {}` in errors. */
  private field(receiver: unknown, name: string, args: unknown[] | undefined, viaInterface = false): unknown {
    const kind = goKind(receiver);
    if (kind === "nil") throw this.error(`nil pointer evaluating interface {}.${name}`);
    if (kind === "map") {
      if (args) throw this.error(`${name} is not a method but has arguments`);
      if (Object.hasOwn(receiver as object, name)) return (receiver as Record<string, unknown>)[name];
      if (this.options.missingKey === "error") throw this.error(`map has no entry for key "${name}"`);
      return undefined;
    }
    if (kind !== "struct" || !Object.hasOwn(receiver as object, name)) {
      throw this.error(`can't evaluate field ${name} in type ${viaInterface ? "interface {}" : goTypeName(receiver)}`);
    }
    const value = (receiver as Record<string, unknown>)[name];
    if (typeof value === "function") {
      try {
        return (value as (...a: unknown[]) => unknown)(...(args ?? []));
      } catch (err) {
        throw this.error(`error calling ${name}: ${(err as Error).message}`, err);
      }
    }
    if (args) throw this.error(`${name} has arguments but cannot be invoked as function`);
    return value;
  }

  private error(message: string, cause?: unknown): TemplateError {
    return new TemplateError(this.file, this.line, message, "exec", cause === undefined ? undefined : { cause });
  }
}

/** An operand as Go prints its node in errors (`"x"`, `.`, `$x.y`, `.a.b`). */
function describe(arg: Arg): string {
  switch (arg.type) {
    case "string":
      return JSON.stringify(arg.value);
    case "dot":
      return ".";
    case "variable":
      return [arg.name, ...arg.names].join(".");
    case "field":
      return `.${arg.names.join(".")}`;
    case "nil":
      return "nil";
    case "identifier":
      return arg.name;
    case "pipe":
      return "(…)";
    default:
      return String(arg.value);
  }
}
