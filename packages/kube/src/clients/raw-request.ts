import http, { STATUS_CODES } from "node:http";
import https from "node:https";
import { ApiException, type KubeConfig } from "@kubernetes/client-node";
import { context, propagation } from "@opentelemetry/api";
import type { InProcessApi } from "@ark/types";
import { inProcessConnection } from "./in-process.js";

export interface RawRequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Default application/json; merge patches say application/merge-patch+json. */
  contentType?: string;
}

export const MERGE_PATCH = "application/merge-patch+json";

/**
 * One API call as plain JSON over node's https with `kc`'s agent, credentials and TLS settings (so withKeepAlive's
 * pooled connections serve it). The hot paths use it instead of client-node's generated clients, whose node-fetch,
 * middleware and model (de)serialization cost several times the request itself. Failures throw client-node's
 * ApiException (code, the Status body as text), so isNotFound, apiErrorMessage and callers matching it still work.
 */
export async function rawRequest<T>(kc: KubeConfig, method: string, path: string, options: RawRequestOptions = {}): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster");
  const url = new URL(cluster.server.replace(/\/$/, "") + path);
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string | number> = { Accept: "application/json" };
  if (payload) {
    headers["Content-Type"] = options.contentType ?? "application/json";
    headers["Content-Length"] = payload.length;
  }
  // The caller's trace continues in the API server (a no-op without an OpenTelemetry SDK).
  propagation.inject(context.active(), headers);
  const inProcess = inProcessConnection(kc);
  if (inProcess)
    return callInProcess<T>(inProcess.api, method, `${url.pathname}${url.search}`, path, { ...stringHeaders(headers), ...(inProcess.authorization ? { Authorization: inProcess.authorization } : {}) }, payload);
  const requestOptions: https.RequestOptions = { method, headers };
  await kc.applyToHTTPSOptions(requestOptions);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<T>((resolve, reject) => {
    const req = transport.request(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new ApiException(status, `${method} ${path}: ${res.statusMessage ?? "request failed"}`, text, res.headers as Record<string, string>));
          return;
        }
        let body: T;
        try {
          body = (text ? JSON.parse(text) : undefined) as T;
        } catch (err) {
          reject(new Error(`${method} ${path}: invalid JSON in the response`, { cause: err }));
          return;
        }
        resolve(body);
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

function stringHeaders(headers: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}

/** The same call through ark-apiserver's in-process API: the same answers and failures as over HTTP. */
async function callInProcess<T>(api: InProcessApi, method: string, target: string, path: string, headers: Record<string, string>, payload: Buffer | undefined): Promise<T> {
  const answer = await api({ method, path: target, headers, ...(payload ? { body: payload } : {}) });
  if (answer.status < 200 || answer.status >= 300) {
    throw new ApiException(answer.status, `${method} ${path}: ${STATUS_CODES[answer.status] ?? "request failed"}`, answer.text, answer.headers);
  }
  try {
    return (answer.text ? JSON.parse(answer.text) : undefined) as T;
  } catch (err) {
    throw new Error(`${method} ${path}: invalid JSON in the response`, { cause: err });
  }
}
