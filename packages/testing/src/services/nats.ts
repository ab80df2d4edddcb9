import { randomBytes } from "node:crypto";
import { dockerAvailable } from "./docker.js";
import { errorMessage, redactUrl } from "./require-services.js";

export type NatsSource = "env" | "testcontainers";

export interface TestNats {
  url: string;
  source: NatsSource;
  stop(): Promise<void>;
}

export type TestNatsResult = TestNats | { unavailable: string };

/**
 * A NATS server with JetStream for tests: `NATS_URL` when set (checked: it answers and JetStream is on),
 * else a testcontainers `nats:2.10-alpine -js` when Docker answers, else `{ unavailable: reason }`.
 * Inside vitest, prefer `testNats()` from "@ark/testing/vitest": the global setup resolved it once.
 */
export async function findTestNats(): Promise<TestNatsResult> {
  const envUrl = process.env.NATS_URL;
  if (envUrl) {
    await checkJetStream(envUrl).catch((error: unknown) => {
      throw new Error(`NATS_URL is set but ${redactUrl(envUrl)} is not a NATS server with JetStream: ${errorMessage(error)}`, {
        cause: error,
      });
    });
    return { url: envUrl, source: "env", stop: async () => {} };
  }
  const docker = await dockerAvailable();
  if (!docker.available) return { unavailable: `NATS_URL is unset and ${docker.reason}` };
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = await new GenericContainer("nats:2.10-alpine")
    .withCommand(["-js"])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return {
    url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
    source: "testcontainers",
    stop: async () => {
      await container.stop();
    },
  };
}

/** Like findTestNats, but null when there is none. */
export async function getTestNats(): Promise<TestNats | null> {
  const result = await findTestNats();
  return "unavailable" in result ? null : result;
}

/** Connects, and asks JetStream for the account info (fails when the server runs without -js). */
export async function checkJetStream(url: string): Promise<void> {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstreamManager } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url, timeout: 5_000, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 5_000 });
    await jsm.getAccountInfo();
  } finally {
    await nc.close();
  }
}

export interface NatsTestNames {
  /** Unique token, safe in stream names and subject tokens (`[a-z0-9_]`). */
  id: string;
  /** A unique stream name: `<NAME>_<id>` (no dots, as JetStream requires). */
  stream(name: string): string;
  /** A unique subject under `t.<id>`: `subject("query", "run")` → `t.<id>.query.run`. */
  subject(...tokens: string[]): string;
}

/** Unique stream and subject names per test, so tests sharing one NATS server never see each other. */
export function natsTestNames(label = "t"): NatsTestNames {
  const cleanLabel =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 20) || "t";
  const id = `${cleanLabel}_${randomBytes(5).toString("hex")}`;
  return {
    id,
    stream: (name) => `${name.replace(/[^A-Za-z0-9_-]+/g, "_")}_${id}`,
    subject: (...tokens) => ["t", id, ...tokens].join("."),
  };
}
