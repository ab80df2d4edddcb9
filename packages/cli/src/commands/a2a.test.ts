import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createProgram } from "../program.js";
import { a2aBaseUrl } from "./a2a.js";

/** ark-api's answers for namespace `team` (the DTO shapes: A2AServers wrapped with status, Agents flat). */
const servers = {
  weather: {
    name: "weather",
    namespace: "team",
    spec: { address: { value: "http://weather.example" } },
    status: {
      lastResolvedAddress: "http://weather.example",
      lastResolvedEndpoint: "http://weather.example/rpc",
      conditions: [{ type: "Ready", status: "True", reason: "AgentDiscovered", message: "Successfully discovered agent weather-agent" }],
    },
  },
  broken: {
    name: "broken",
    namespace: "team",
    spec: { address: { value: "http://broken.example" } },
    status: {
      lastResolvedAddress: "http://broken.example",
      conditions: [
        { type: "Ready", status: "False", reason: "CardNotJson", message: "Server not ready: agent card is not JSON" },
        { type: "Discovering", status: "False", reason: "CardNotJson" },
      ],
    },
  },
};
const agents = {
  "weather-agent": { name: "weather-agent", namespace: "team", annotations: { "a2a.server/name": "weather", "a2a.server/address": "http://weather.example/rpc" }, prompt: "p" },
  local: { name: "local", namespace: "team", annotations: {}, prompt: "You help." },
};

describe("ark a2a list and ark get agents -o wide", () => {
  let server: Server;
  let url: string;
  const output: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? "";
      const send = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      const collections: Record<string, Record<string, unknown>> = { "a2a-servers": servers, agents };
      const match = /^\/v1\/namespaces\/team\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(path);
      const collection = match ? collections[match[1]!] : undefined;
      if (!match || !collection) return void res.writeHead(404).end("{}");
      if (!match[2]) return send({ items: Object.values(collection).map((item) => ({ name: (item as { name: string }).name })) });
      const item = collection[match[2]];
      return item ? send(item) : void res.writeHead(404).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  });
  afterEach(() => {
    output.length = 0;
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const ark = async (...args: string[]) => {
    await createProgram().parseAsync(["node", "ark", "-s", url, "-n", "team", "--api-key", "k", ...args]);
    return output.join("").split("\n").filter(Boolean);
  };

  it("lists each A2AServer with its phase (or why it is not ready), the address requests go to, and its agents", async () => {
    const lines = await ark("a2a", "list");
    expect(lines[0]!.split(/\s+/)).toEqual(["NAME", "PHASE", "ADDRESS", "AGENTS"]);
    expect(lines.find((line) => line.startsWith("weather"))!.split(/\s+/)).toEqual(["weather", "ready", "http://weather.example/rpc", "weather-agent"]);
    expect(lines.find((line) => line.startsWith("broken"))).toMatch(/^broken\s+not ready \(CardNotJson: Server not ready: agent card is not JSON\)\s+http:\/\/broken\.example\s+-$/);
  });

  it("shows agents' A2A URLs with -o wide: the remote's for an A2AServer's agent, ark-api-a2a's for the others", async () => {
    vi.stubEnv("ARK_A2A_URL", "http://a2a.example:7184/");
    const lines = await ark("get", "agents", "-o", "wide");
    expect(lines[0]).toContain("A2A URL");
    expect(lines.find((line) => line.startsWith("weather-agent"))).toContain(" http://weather.example/rpc ");
    expect(lines.find((line) => line.startsWith("local"))).toContain(" http://a2a.example:7184/team/agent/local/ ");
    output.length = 0;
    expect((await ark("get", "agents")).join("\n")).not.toContain("A2A URL");
  });

  it("takes ark-api-a2a's base URL from ARK_A2A_URL, the local stack's by default", () => {
    expect(a2aBaseUrl({})).toBe("http://127.0.0.1:7184");
    expect(a2aBaseUrl({ ARK_A2A_URL: "https://a2a.example/" })).toBe("https://a2a.example");
  });
});
