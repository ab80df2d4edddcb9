import { PROMPT_FUNCTIONS, renderGoTemplate, TemplateError, type TemplatePrinter } from "@ark/gotemplate";
import { EngineError } from "./errors.js";

/**
 * Renders a Go text/template with the prompt functions (docs/upstream-compat.md §1.4) over `data`. `where` names
 * the text in errors (`invalid template syntax in prompt: line 1: …`, in Go's wording); `printer` escapes what
 * actions print.
 */
export function renderTemplate(source: string, data: Record<string, unknown>, where: string, printer?: TemplatePrinter): string {
  try {
    return renderGoTemplate(where, source, data, { functions: PROMPT_FUNCTIONS, ...(printer ? { printer } : {}) });
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const failure = error.phase === "parse" ? "invalid template syntax" : "template execution failed";
    throw new EngineError("TEMPLATE_ERROR", `${failure} in ${where}: line ${error.line}: ${error.detail}`, { cause: error });
  }
}

/** Upstream: with zero parameters the text is used verbatim, never parsed (literal `{{…}}` survives). */
export function renderWithParameters(source: string, parameters: Record<string, string> | undefined, where: string): string {
  if (!parameters || Object.keys(parameters).length === 0) return source;
  return renderTemplate(source, parameters, where);
}
