import { EngineError } from "../errors.js";
import { TemplateExecError, TemplateSyntaxError } from "./ast.js";
import { executeTemplate, type TemplatePrinter } from "./execute.js";
import { parseTemplate } from "./parse.js";

export { formatGoValue } from "./go-format.js";
export type { TemplatePrinter } from "./execute.js";
export { resolveParameters, type ConfigValueReader, type ParameterSpec } from "./parameters.js";

/**
 * Renders a Go text/template (the subset of docs/upstream-compat.md §1.4) over `data`.
 * `where` names the text in errors: `invalid template syntax in prompt: line 1: …`; `printer` escapes what actions print.
 */
export function renderTemplate(source: string, data: Record<string, unknown>, where: string, printer?: TemplatePrinter): string {
  let nodes;
  try {
    nodes = parseTemplate(source);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    throw new EngineError("TEMPLATE_ERROR", `invalid template syntax in ${where}: ${error.message}`, { cause: error });
  }
  try {
    return executeTemplate(nodes, data, printer);
  } catch (error) {
    if (!(error instanceof TemplateExecError)) throw error;
    throw new EngineError("TEMPLATE_ERROR", `template execution failed in ${where}: ${error.message}`, { cause: error });
  }
}

/** Upstream: with zero parameters the text is used verbatim, never parsed (literal `{{…}}` survives). */
export function renderWithParameters(source: string, parameters: Record<string, string> | undefined, where: string): string {
  if (!parameters || Object.keys(parameters).length === 0) return source;
  return renderTemplate(source, parameters, where);
}
