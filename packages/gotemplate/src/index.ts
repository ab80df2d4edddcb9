export type { TemplatePrinter } from "./exec.js";
export { GO_BUILTINS, goQueryEscape } from "./functions/builtins.js";
export type { FunctionContext, FunctionSet, TemplateFunction } from "./functions/function-set.js";
export { PROMPT_FUNCTIONS } from "./functions/prompt.js";
export { CHART_FUNCTIONS, SPRIG_FUNCTIONS } from "./functions/sprig.js";
export { formatGoValue, goStruct } from "./go-values.js";
export { TemplateError } from "./template-error.js";
export { renderGoTemplate, TemplateSet, type TemplateSetOptions } from "./template-set.js";
