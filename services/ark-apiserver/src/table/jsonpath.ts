import { ClassifiedError } from "@ark/types";
// The JSONPath subset CRD printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]`, `[?(@.type=='Ready')]`,
// plus `.length` (array length or map size) and kubectl-style templates like `{.kind}/{.name}`.
type Step = { kind: "field"; name: string } | { kind: "index"; index: number } | { kind: "wildcard" } | { kind: "filter"; path: Step[]; op: "==" | "!=" | "exists"; value?: string | number | boolean };

export class JsonPathError extends ClassifiedError {
  override readonly name = "JsonPathError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "INVALID_JSONPATH", message, options);
  }
}

const compiled = new Map<string, (root: unknown) => unknown[]>();

/** Every value the path selects in `root` (empty when nothing matches). */
export function evaluateJsonPath(path: string, root: unknown): unknown[] {
  let evaluator = compiled.get(path);
  if (evaluator === undefined) {
    evaluator = compile(path);
    compiled.set(path, evaluator);
  }
  return evaluator(root);
}

function compile(path: string): (root: unknown) => unknown[] {
  const trimmed = path.trim();
  if (!trimmed.includes("{")) {
    const steps = parsePath(trimmed);
    return (root) => walk(steps, [root]);
  }
  const parts = parseTemplate(trimmed);
  return (root) => {
    let matched = false;
    const text = parts
      .map((part) => {
        if (typeof part === "string") return part;
        const values = walk(part, [root]);
        if (values.length > 0) matched = true;
        return values.map(formatValue).join(" ");
      })
      .join("");
    return matched ? [text] : [];
  };
}

function parseTemplate(template: string): (string | Step[])[] {
  const parts: (string | Step[])[] = [];
  const pattern = /\{([^}]*)\}/g;
  let last = 0;
  for (let m = pattern.exec(template); m !== null; m = pattern.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(parsePath((m[1] ?? "").trim()));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  let i = path.startsWith("$") ? 1 : path.startsWith("@") ? 1 : 0;
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      const end = nextDelimiter(path, i + 1);
      const name = path.slice(i + 1, end);
      if (name === "") throw new JsonPathError(`${path}: empty field name at ${i}`);
      steps.push(name === "*" ? { kind: "wildcard" } : { kind: "field", name });
      i = end;
    } else if (c === "[") {
      const end = closingBracket(path, i);
      steps.push(parseBracket(path.slice(i + 1, end).trim(), path));
      i = end + 1;
    } else {
      const end = nextDelimiter(path, i);
      steps.push({ kind: "field", name: path.slice(i, end) });
      i = end;
    }
  }
  return steps;
}

function nextDelimiter(path: string, from: number): number {
  let i = from;
  while (i < path.length && path[i] !== "." && path[i] !== "[") i++;
  return i;
}

function closingBracket(path: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < path.length; i++) {
    const c = path[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  throw new JsonPathError(`${path}: unclosed [`);
}

function parseBracket(inner: string, path: string): Step {
  if (inner === "*") return { kind: "wildcard" };
  if (/^-?\d+$/.test(inner)) return { kind: "index", index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted !== null) return { kind: "field", name: quoted[2] ?? "" };
  const filter = /^\?\((.*)\)$/.exec(inner);
  if (filter !== null) return parseFilter((filter[1] ?? "").trim(), path);
  throw new JsonPathError(`${path}: unsupported [${inner}]`);
}

function parseFilter(expression: string, path: string): Step {
  const comparison = /^(@[^=!<>\s]*)\s*(==|!=)\s*(.+)$/.exec(expression);
  if (comparison === null) {
    if (!expression.startsWith("@")) throw new JsonPathError(`${path}: unsupported filter ${expression}`);
    return { kind: "filter", path: parsePath(expression), op: "exists" };
  }
  const [, left = "@", op, literal = ""] = comparison;
  return { kind: "filter", path: parsePath(left), op: op as "==" | "!=", value: parseLiteral(literal.trim()) };
}

function parseLiteral(text: string): string | number | boolean {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted !== null) return quoted[2] ?? "";
  if (text === "true" || text === "false") return text === "true";
  const n = Number(text);
  return Number.isNaN(n) ? text : n;
}

function walk(steps: readonly Step[], start: unknown[]): unknown[] {
  let current = start;
  for (const step of steps) current = current.flatMap((value) => apply(step, value));
  return current;
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case "field":
      return field(value, step.name);
    case "index": {
      if (!Array.isArray(value)) return [];
      const item: unknown = value[step.index < 0 ? value.length + step.index : step.index];
      return item === undefined ? [] : [item];
    }
    case "wildcard":
      if (Array.isArray(value)) return value;
      return isObject(value) ? Object.values(value) : [];
    case "filter": {
      const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
      return items.filter((item) => matches(step, item));
    }
  }
}

function field(value: unknown, name: string): unknown[] {
  if (isObject(value) && Object.hasOwn(value, name)) {
    const child = value[name];
    return child === undefined ? [] : [child];
  }
  if (name === "length") {
    if (Array.isArray(value)) return [value.length];
    if (isObject(value)) return [Object.keys(value).length];
  }
  return [];
}

function matches(step: Extract<Step, { kind: "filter" }>, item: unknown): boolean {
  const found = walk(step.path, [item]);
  if (step.op === "exists") return found.length > 0;
  const equal = found.some((v) => v === step.value || (typeof v !== "object" && String(v) === String(step.value)));
  return step.op === "==" ? equal : !equal;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How kubectl's JSONPath prints one value: strings bare, objects and arrays as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
