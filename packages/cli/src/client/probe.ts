import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface ProbeResult {
  ok: boolean;
  /** HTTP status, or the connection error. */
  detail: string;
}

/** GET a readiness URL; 2xx is ready. `ca` verifies the local ark-apiserver's self-signed certificate. */
export function probe(url: string, options: { ca?: string; timeoutMs?: number } = {}): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const https = url.startsWith("https:");
    const send = https ? httpsRequest : httpRequest;
    const req = send(url, { method: "GET", timeout: options.timeoutMs ?? 3000, ...(https && options.ca ? { ca: options.ca } : {}) }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve({ ok: status >= 200 && status < 300, detail: `HTTP ${status}` });
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ ok: false, detail: err.code ?? err.message }));
    req.end();
  });
}
