/** One service behind the gateway: `<name>.localhost` and `/<name>/` both lead to `upstream`. */
export interface GatewayRoute {
  name: string;
  upstream: string;
}

const ROUTE_NAME = /^[a-z][a-z0-9-]*$/;

// ark-apiserver is not here: kubectl sends its token only over TLS, so it is reached directly with the kubeconfig.
export const LOCAL_ROUTES: readonly GatewayRoute[] = [
  { name: "api", upstream: "http://127.0.0.1:8000" },
  { name: "a2a", upstream: "http://127.0.0.1:7184" },
  { name: "mcp", upstream: "http://127.0.0.1:2627" },
  { name: "filesys", upstream: "http://127.0.0.1:9090" },
  { name: "evaluator", upstream: "http://127.0.0.1:8001" },
  { name: "memory", upstream: "http://127.0.0.1:8002" },
  { name: "executor", upstream: "http://127.0.0.1:8003" },
  { name: "dashboard", upstream: "http://127.0.0.1:3000" },
];

/** Parses `name=url,name=url` or a JSON object `{"name":"url"}`; throws a message naming the bad entry. */
export function parseRoutes(raw: string): GatewayRoute[] {
  const text = raw.trim();
  const entries = text.startsWith("{") ? jsonEntries(text) : listEntries(text);
  const routes: GatewayRoute[] = [];
  for (const [name, upstream] of entries) {
    if (!ROUTE_NAME.test(name)) throw new Error(`route name "${name}" must match ${ROUTE_NAME.source}`);
    if (routes.some((route) => route.name === name)) throw new Error(`route "${name}" is given twice`);
    routes.push({ name, upstream: checkUpstream(name, upstream) });
  }
  if (routes.length === 0) throw new Error("no routes given");
  return routes;
}

function jsonEntries(text: string): [string, string][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object {"name":"url"}');
  return Object.entries(parsed).map(([name, url]) => {
    if (typeof url !== "string") throw new Error(`route "${name}": the URL must be a string`);
    return [name, url];
  });
}

function listEntries(text: string): [string, string][] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const at = item.indexOf("=");
      if (at < 1) throw new Error(`"${item}" is not name=url`);
      return [item.slice(0, at).trim(), item.slice(at + 1).trim()];
    });
}

function checkUpstream(name: string, upstream: string): string {
  if (!URL.canParse(upstream)) throw new Error(`route "${name}": "${upstream}" is not a URL`);
  const url = new URL(upstream);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`route "${name}": expected an http:// or https:// URL`);
  if (url.search || url.hash) throw new Error(`route "${name}": the URL may not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
