import type { Node } from "./ast.js";
import { execute, type Defines, type ExecOptions } from "./exec.js";
import type { FunctionSet } from "./functions/function-set.js";
import { parseTemplate } from "./parse.js";

export type TemplateSetOptions = ExecOptions;

/** Many template files sharing one set of `define`s (global, as in Helm), with the functions they may call. */
export class TemplateSet {
  private readonly bodies = new Map<string, Node[]>();
  private readonly defines = new Map<string, { nodes: Node[]; file: string }>();
  private readonly functionNames: ReadonlySet<string>;

  constructor(private readonly options: TemplateSetOptions) {
    this.functionNames = new Set(Object.keys(options.functions satisfies FunctionSet));
  }

  /** Parses a file; a syntax error or an unknown function throws a TemplateError now, as Go's Parse does. */
  add(file: string, text: string): void {
    const parsed = parseTemplate(file, text, this.functionNames);
    this.bodies.set(file, parsed.root);
    for (const [name, nodes] of parsed.defines) this.defines.set(name, { nodes, file });
  }

  /** text/template's Execute of one file on `data`. */
  execute(file: string, data: unknown): string {
    const body = this.bodies.get(file);
    if (!body) throw new Error(`no template file ${file}`);
    return execute(file, body, data, this.defines as Defines, this.options);
  }
}

/** Parses and executes one template text, named `name` in errors. */
export function renderGoTemplate(name: string, text: string, data: unknown, options: TemplateSetOptions): string {
  const set = new TemplateSet(options);
  set.add(name, text);
  return set.execute(name, data);
}
