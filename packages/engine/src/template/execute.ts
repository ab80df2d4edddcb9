import { type Command, type Node, type Operand, TemplateExecError } from "./ast.js";
import { formatGoValue } from "./go-format.js";

/** A missing map key: prints as `<no value>`, is false in conditions. */
const MISSING = Symbol("no value");
type Value = unknown;

interface Scope {
  dot: Value;
  root: Value;
}

/** How an action's value is written: `formatted` is Go's `%v` of it, `before` the output so far (its context). */
export type TemplatePrinter = (value: unknown, formatted: string, before: string) => string;

export function executeTemplate(nodes: Node[], data: Value, printer?: TemplatePrinter): string {
  const out: string[] = [];
  run(nodes, { dot: data, root: data }, out, printer);
  return out.join("");
}

function run(nodes: Node[], scope: Scope, out: string[], printer: TemplatePrinter | undefined): void {
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out.push(node.text);
        break;
      case "print": {
        const value = evaluate(node.command, scope, node.line);
        const formatted = value === MISSING ? "<no value>" : formatGoValue(value);
        out.push(printer ? printer(value === MISSING ? formatted : value, formatted, out.join("")) : formatted);
        break;
      }
      case "if":
        run(isTrue(evaluate(node.cond, scope, node.line)) ? node.then : node.else, scope, out, printer);
        break;
      case "with": {
        const value = evaluate(node.value, scope, node.line);
        if (isTrue(value)) run(node.body, { ...scope, dot: value }, out, printer);
        else run(node.else, scope, out, printer);
        break;
      }
      case "range": {
        const items = rangeItems(evaluate(node.over, scope, node.line), node.line);
        if (items.length === 0) run(node.else, scope, out, printer);
        for (const item of items) run(node.body, { ...scope, dot: item }, out, printer);
        break;
      }
    }
  }
}

function rangeItems(value: Value, line: number): Value[] {
  if (value === MISSING || value === null || value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === "object") {
    const map = value as Record<string, Value>;
    return Object.keys(map)
      .sort()
      .map((key) => map[key]);
  }
  throw new TemplateExecError(`line ${line}: range can't iterate over ${formatGoValue(value)}`);
}

function evaluate(command: Command, scope: Scope, line: number): Value {
  if (command.kind === "operand") return operandValue(command.operand, scope, line);
  const args = command.args.map((arg) => operandValue(arg, scope, line));
  const fail = (what: string): never => {
    throw new TemplateExecError(`line ${line}: error calling ${command.name}: ${what}`);
  };
  switch (command.name) {
    case "not":
      if (args.length !== 1) fail("wrong number of args: want 1");
      return !isTrue(args[0]);
    case "and":
      return args.find((arg) => !isTrue(arg)) ?? args[args.length - 1];
    case "or":
      return args.find((arg) => isTrue(arg)) ?? args[args.length - 1];
    case "eq":
      if (args.length < 2) fail("missing argument for comparison");
      return args.slice(1).some((arg) => arg === args[0]);
    case "ne":
      if (args.length !== 2) fail("wrong number of args: want 2");
      return args[0] !== args[1];
    case "len": {
      const [arg] = args;
      if (typeof arg === "string" || Array.isArray(arg)) return arg.length;
      if (arg && typeof arg === "object") return Object.keys(arg).length;
      return fail(`len of ${arg === MISSING ? "<no value>" : formatGoValue(arg)}`);
    }
    default:
      return fail("function not defined");
  }
}

function operandValue(operand: Operand, scope: Scope, line: number): Value {
  switch (operand.kind) {
    case "string":
    case "number":
    case "bool":
      return operand.value;
    case "nil":
      return null;
    case "field": {
      let value = operand.root === "root" ? scope.root : scope.dot;
      for (const [i, key] of operand.path.entries()) {
        const shown = `.${operand.path.slice(0, i + 1).join(".")}`;
        if (value === MISSING || value === null || value === undefined) {
          throw new TemplateExecError(`line ${line}: nil pointer evaluating ${shown}`);
        }
        if (typeof value !== "object" || Array.isArray(value)) {
          throw new TemplateExecError(`line ${line}: can't evaluate field ${key} in ${shown}`);
        }
        value = Object.hasOwn(value, key) ? (value as Record<string, Value>)[key] : MISSING;
      }
      return value;
    }
  }
}

function isTrue(value: Value): boolean {
  if (value === MISSING || value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}
