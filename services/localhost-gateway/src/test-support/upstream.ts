import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

export interface FakeUpstream {
  url: string;
  /** Lets the slow event stream send its last event and end. */
  finishEvents(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A service to put behind the gateway: `/events` streams one event, then waits for finishEvents();
 * `/redirect` answers 302 to `/elsewhere`; `/limited` closes the connection at the first bytes of a body; WebSocket upgrades echo every message with the path and headers seen;
 * anything else echoes the request as JSON, tagged with `name`.
 */
export async function startFakeUpstream(name: string): Promise<FakeUpstream> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const server: Server = createServer(async (req, res) => {
    if (req.url === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write("data: first\n\n");
      await finished;
      res.end("data: last\n\n");
      return;
    }
    if (req.url === "/limited") {
      // A service refusing a body over its limit, as the proxy sees it when it loses the race to read the 413 first.
      req.once("data", () => req.socket.destroy());
      return;
    }
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "/elsewhere" }).end();
      return;
    }
    const body = await readBody(req);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ upstream: name, method: req.method, url: req.url, headers: req.headers, body }));
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket, req) => {
    socket.on("message", (data) => {
      socket.send(JSON.stringify({ upstream: name, url: req.url, headers: req.headers, echo: data.toString() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    finishEvents: finish,
    close: async () => {
      finish();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL where nothing listens: a port that was just free. */
export async function deadUpstreamUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
