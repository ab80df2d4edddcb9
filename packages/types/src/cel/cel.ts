import { ClassifiedError } from "../shared/errors.js";
import { Environment } from "@marcbachmann/cel-js";

/**
 * CEL (Common Expression Language) for every place a user writes a condition: Evaluation event rules (admission
 * and evaluator-llm), later tool-approval `when` conditions. One implementation, so what admission accepts is
 * exactly what the evaluator runs.
 */

/** A declared variable's CEL type: `dyn` for JSON-shaped data, `list<dyn>`, `map`, `string`, `bool`, `int`, `double`. */
export type CelVariables = Readonly<Record<string, string>>;

export interface CelProgram {
  readonly expression: string;
  /** Runs the expression; a runtime error (missing field, no such overload) throws CelError. */
  evaluate(context: Record<string, unknown>): unknown;
}

/** An expression that does not compile or evaluate: the author's to fix. */
export class CelError extends ClassifiedError {
  override readonly name = "CelError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "CEL_ERROR", message, options);
  }
}

const environments = new Map<string, Environment>();

function environmentFor(variables: CelVariables): Environment {
  const key = JSON.stringify(Object.entries(variables).sort(([a], [b]) => a.localeCompare(b)));
  let env = environments.get(key);
  if (!env) {
    env = new Environment({ homogeneousAggregateLiterals: false });
    for (const [name, type] of Object.entries(variables)) env.registerVariable(name, type);
    environments.set(key, env);
  }
  return env;
}

/** The CEL error's first line (the library adds a caret drawing of the expression below it). */
function celMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0]!.trim();
}

/** Why the expression does not compile (parse or type check against `variables`), or undefined when it does. */
export function celCompileError(expression: string, variables: CelVariables): string | undefined {
  if (expression.trim() === "") return "expression is empty";
  try {
    const checked = environmentFor(variables).check(expression);
    if (checked.valid) return undefined;
    return celMessage(checked.error);
  } catch (err) {
    return celMessage(err);
  }
}

/** Compiles once for many evaluations; a compile error throws CelError with the reason. */
export function compileCel(expression: string, variables: CelVariables): CelProgram {
  const problem = celCompileError(expression, variables);
  if (problem) throw new CelError(problem);
  const env = environmentFor(variables);
  const parsed = env.parse(expression);
  return {
    expression,
    evaluate(context) {
      try {
        return normalizeCelValue(parsed(context));
      } catch (err) {
        throw new CelError(celMessage(err), { cause: err });
      }
    },
  };
}

/** CEL ints come back as bigint: numbers for JSON and arithmetic. */
function normalizeCelValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  return value;
}
