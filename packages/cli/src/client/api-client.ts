import { CliError } from "../errors.js";
import type { ClientSettings } from "../settings.js";

/** ark-api answered with an error: `{ error: { code, message, details } }`. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ArkApi {
  readonly settings: ClientSettings;
  /** JSON request; undefined for 204 and, with `allowNotFound`, for 404. */
  request<T = unknown>(method: string, path: string, options?: { body?: unknown; allowNotFound?: boolean }): Promise<T | undefined>;
  /** A Server-Sent Events stream: GET, or POST of `body` (a query create answered with its events). */
  stream(path: string, options?: { signal?: AbortSignal; body?: unknown }): Promise<Response>;
  /** `/v1/namespaces/<ns>/<rest>` in the settings' namespace. */
  namespaced(rest: string): string;
}

export function createArkApi(settings: ClientSettings, fetchImpl: typeof fetch = fetch): ArkApi {
  const headers = (extra: Record<string, string>) => ({ ...extra, ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) });

  async function send(method: string, path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetchImpl(`${settings.server}${path}`, { method, ...init });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err));
      throw new CliError(`cannot reach ark-api at ${settings.server} (${cause}); is \`ark dev\` running? (--server / ARK_SERVER)`);
    }
  }

  return {
    settings,
    namespaced: (rest) => `/v1/namespaces/${encodeURIComponent(settings.namespace)}/${rest}`,
    async request<T>(method: string, path: string, options: { body?: unknown; allowNotFound?: boolean } = {}) {
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const res = await send(method, path, { headers: headers(body ? { "content-type": "application/json", accept: "application/json" } : { accept: "application/json" }), ...(body ? { body } : {}) });
      if (res.status === 404 && options.allowNotFound) return undefined;
      if (!res.ok) throw await apiErrorOf(res, method, path);
      if (res.status === 204) return undefined;
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T | undefined;
    },
    async stream(path, { signal, body } = {}) {
      const method = body === undefined ? "GET" : "POST";
      const res = await send(method, path, {
        headers: headers(body === undefined ? { accept: "text/event-stream" } : { accept: "text/event-stream", "content-type": "application/json" }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
      if (!res.ok) throw await apiErrorOf(res, method, path);
      return res;
    },
  };
}

async function apiErrorOf(res: Response, method: string, path: string): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string }; message?: string };
    const message = parsed.error?.message ?? parsed.message ?? text;
    return new ApiError(res.status, parsed.error?.code ?? String(res.status), message);
  } catch {
    return new ApiError(res.status, String(res.status), `${method} ${path}: HTTP ${res.status}${text ? ` ${text.slice(0, 200)}` : ""}`);
  }
}
