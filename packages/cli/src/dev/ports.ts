/** docs/architecture.md §6; the mock model has no row there, so it takes a free one near ark-api's. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  "ark-apiserver": 6443,
  "ark-api": 8000,
  "ark-controller": 8081,
  "postgres-memory": 8002,
  "filesys-mcp": 9090,
  "ark-mcp": 2627,
  "ark-api-a2a": 7184,
  "localhost-gateway": 8080,
  "mock-model": 8099,
  "evaluator-llm": 8001,
  "executor-langchain": 8003,
  "ark-dashboard": 3000,
};

/**
 * A service's port: `ARK_PORT_<NAME>` (e.g. ARK_PORT_ARK_API=18000) wins, else its default plus ARK_PORT_OFFSET,
 * so a second stack (or a test) runs beside the first.
 */
export function servicePort(name: string, env: Record<string, string | undefined>): number {
  const own = env[`ARK_PORT_${name.toUpperCase().replace(/-/g, "_")}`];
  if (own) return parsePort(own, `ARK_PORT_${name.toUpperCase().replace(/-/g, "_")}`);
  const base = DEFAULT_PORTS[name];
  if (base === undefined) throw new Error(`no default port for ${name}`);
  const offset = env.ARK_PORT_OFFSET ? parsePort(env.ARK_PORT_OFFSET, "ARK_PORT_OFFSET", 0) : 0;
  return base + offset;
}

function parsePort(raw: string, variable: string, min = 1): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > 65535) throw new Error(`${variable}: expected a port number, got "${raw}"`);
  return value;
}
