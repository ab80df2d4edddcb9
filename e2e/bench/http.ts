// One HTTP(S) request with node's client, its whole answer read as text: ark-api's REST rounds and ark-apiserver's
// /metrics (the bench's Kubernetes calls go through @ark/kube).
import http from "node:http";
import https from "node:https";

/** Sends the request (with `body`, if any) and resolves to its status and its whole answer as text (a stream read to its end). */
export function requestText(url: URL | string, options: https.RequestOptions, body?: Buffer): Promise<{ status: number; text: string }> {
  const target = typeof url === "string" ? new URL(url) : url;
  return new Promise((resolve, reject) => {
    const req = (target.protocol === "https:" ? https : http).request(target, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
