/**
 * A parse or execution error, named like Go's: `template: <name>:<line>: <detail>`. `detail` is Go's own wording
 * (`function "x" not defined`, `error calling len: len of type float64`), for callers that name the text themselves.
 */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    readonly line: number,
    readonly detail: string,
    readonly phase: "parse" | "exec",
    options?: { cause?: unknown },
  ) {
    super(`template: ${template}:${line}: ${detail}`, options);
    this.name = "TemplateError";
  }
}
