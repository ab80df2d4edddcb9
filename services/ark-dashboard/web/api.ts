import { readServerSentEvents } from "@ark/types";
import { clearOidcToken, oidcToken } from "./auth.js";

/** ark-api through this origin's /api proxy; the API key or OIDC token (when ark-api wants one) lives in sessionStorage. */
const KEY_STORAGE = "ark.apiKey";

function apiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
  window.dispatchEvent(new Event("ark-auth"));
}

/** Signed in with a key or OIDC: the Bearer credential of this tab. */
export function credential(): string | null {
  return apiKey() ?? oidcToken();
}

/** Forgets this tab's credential and shows the sign-in page (without asking ark-api again). */
export function signOut(): void {
  clearOidcToken();
  sessionStorage.removeItem(KEY_STORAGE);
  window.dispatchEvent(new Event("ark-unauthenticated"));
}

export interface FieldDetail {
  field?: string;
  message?: string;
  detail?: string;
}

/** An error answer of ark-api: its message (and field details) as it gave them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldDetail[] = [],
  ) {
    super(message);
  }
}

function headers(extra: HeadersInit = {}): Headers {
  const result = new Headers(extra);
  const key = credential();
  if (key) result.set("authorization", `Bearer ${key}`);
  return result;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: string; details?: unknown }; message?: string };
    const details = Array.isArray(body.error?.details) ? (body.error.details as FieldDetail[]) : [];
    return new ApiError(response.status, body.error?.message ?? body.message ?? `${response.status} ${response.statusText}`, details);
  } catch {
    return new ApiError(response.status, text || `${response.status} ${response.statusText}`);
  }
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { ...init, headers: headers(init.headers) });
  } catch (err) {
    throw new ApiError(0, `ark-api cannot be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (response.status === 401) window.dispatchEvent(new Event("ark-unauthenticated"));
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await (await send(path, signal ? { signal } : {})).json()) as T;
}

export async function apiSend<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T | undefined> {
  const response = await send(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const text = await response.text();
  return text ? (JSON.parse(text) as T) : undefined;
}

/** Checks a key against ark-api before keeping it. */
export async function tryApiKey(key: string): Promise<void> {
  const response = await fetch("/api/v1/namespaces", { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw await errorOf(response);
}

export interface SseMessage {
  id?: string;
  event: string;
  data: unknown;
}

/** Reads a Server-Sent Events response (fetch, so the Authorization header goes along) until it ends or `signal` aborts. */
export async function readEvents(path: string, onMessage: (message: SseMessage) => void, signal: AbortSignal): Promise<void> {
  const response = await send(path, { signal, headers: { accept: "text/event-stream" } });
  for await (const { event, data, id } of readServerSentEvents(response.body!, signal)) {
    let parsed: unknown = data;
    try {
      parsed = JSON.parse(data);
    } catch {
      // not JSON: the text
    }
    onMessage({ event, data: parsed, ...(id === undefined ? {} : { id }) });
  }
}
