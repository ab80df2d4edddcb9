/** What a function can reach besides its arguments. */
export interface FunctionContext {
  /** Runs a named template (a `define`) on `data`, as Helm's `include`. */
  include(name: string, data: unknown): string;
}

export interface TemplateFunction {
  /** Go's argument count check: `[n, n]` is exact, `[n, Infinity]` variadic. */
  arity: readonly [min: number, max: number];
  call: (args: unknown[], ctx: FunctionContext) => unknown;
  /** `and`/`or`: the executor evaluates the arguments one by one and stops at the deciding one, as Go does. */
  shortCircuit?: "and" | "or";
}

/** The functions a template may call, by name; a name not here fails at parse time, as in Go. */
export type FunctionSet = Readonly<Record<string, TemplateFunction>>;

export const ANY = Number.POSITIVE_INFINITY;
