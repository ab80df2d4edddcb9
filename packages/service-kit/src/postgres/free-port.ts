import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const LOWEST = 10_000;
const ATTEMPTS = 50;

/**
 * The first port of the kernel's ephemeral range (ports it hands to `listen(0)` and to outgoing connections), or
 * undefined where that cannot be read.
 */
function ephemeralLow(): number | undefined {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : undefined;
  } catch {
    return undefined;
  }
}

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : undefined));
    });
  });
}

/**
 * A TCP port free on 127.0.0.1 right now, for a server started a moment later. It is picked below the kernel's
 * ephemeral range where there is room: a port from `listen(0)` is released before its user binds it, and in the
 * meantime any other server asking for port 0 (or any outgoing connection) could be handed the same number.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  if (high !== undefined && high - LOWEST > 1_000) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const port = await tryListen(LOWEST + Math.floor(Math.random() * (high - LOWEST)));
      if (port !== undefined) return port;
    }
  }
  const port = await tryListen(0);
  if (port === undefined) throw new Error("no free TCP port on 127.0.0.1");
  return port;
}
