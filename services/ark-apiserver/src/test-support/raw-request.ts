import https from "node:https";
import type { TestApiServer } from "./api-server.js";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Header lines as received, each value decoded from its bytes as UTF-8. */
  utf8Headers: [string, string][];
  body: string;
}

/** One HTTPS request to a test server with its token, answered as received (no client library in between). */
export function rawRequest(server: Pick<TestApiServer, "url" | "token" | "caPem">, method: string, path: string, options: { body?: string; contentType?: string; token?: string } = {}): Promise<RawAnswer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        ...(server.caPem ? { ca: server.caPem } : {}),
        agent: false,
        headers: { authorization: `Bearer ${options.token ?? server.token}`, "content-type": options.contentType ?? "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const utf8Headers: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            utf8Headers.push([res.rawHeaders[i]!.toLowerCase(), Buffer.from(res.rawHeaders[i + 1]!, "latin1").toString("utf8")]);
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, utf8Headers, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
