import type { Node } from "./ast.js";
import { execute, type Defines } from "./exec.js";
import { FUNCTION_NAMES } from "./functions.js";
import { parseTemplate } from "./parse.js";

/** Many template files sharing one set of `define`s, rendered as Helm renders a chart's templates. */
export class TemplateSet {
  private readonly bodies = new Map<string, Node[]>();
  private readonly defines = new Map<string, { nodes: Node[]; file: string }>();

  add(file: string, text: string): void {
    const parsed = parseTemplate(file, text, FUNCTION_NAMES);
    this.bodies.set(file, parsed.root);
    for (const [name, nodes] of parsed.defines) this.defines.set(name, { nodes, file });
  }

  /** Helm prints a missing value as nothing (text/template prints "<no value>"). */
  render(file: string, data: unknown): string {
    return this.execute(file, data).replaceAll("<no value>", "");
  }

  /** Plain text/template output, for comparing with Go's. */
  execute(file: string, data: unknown): string {
    const body = this.bodies.get(file);
    if (!body) throw new Error(`no template file ${file}`);
    return execute(file, body, data, this.defines as Defines);
  }
}
