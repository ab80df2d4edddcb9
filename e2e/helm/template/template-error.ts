/** A parse or execution error, named like Go's: `template: <name>:<line>: <message>`. */
export class TemplateError extends Error {
  constructor(template: string, line: number, message: string, options?: { cause?: unknown }) {
    super(`template: ${template}:${line}: ${message}`, options);
    this.name = "TemplateError";
  }
}
