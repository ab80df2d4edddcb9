// Module resolve hook: adds the "@ark/source" export condition, as `node --conditions=@ark/source` would.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes("@ark/source") ? context.conditions : ["@ark/source", ...context.conditions];
  return nextResolve(specifier, { ...context, conditions });
}
