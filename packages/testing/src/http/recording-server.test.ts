import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRecordingServer, type RecordingServer } from "./recording-server.js";

describe("startRecordingServer", () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer((req, res) => res.end(`echo ${req.method} ${req.url}`));
  });
  afterAll(() => server.close());

  it("records method, path, headers and the full body in order, and answers through the responder", async () => {
    const first = await fetch(`${server.url}/a?x=1`, { method: "POST", headers: { "x-test": "yes" }, body: "hello" });
    expect(await first.text()).toBe("echo POST /a?x=1");
    server.respond((_req, res) => res.writeHead(404).end("gone"));
    const second = await fetch(`${server.url}/b`);
    expect(second.status).toBe(404);
    expect(server.requests).toMatchObject([
      { method: "POST", url: "/a?x=1", headers: { "x-test": "yes" }, body: "hello" },
      { method: "GET", url: "/b", body: "" },
    ]);
  });

  it("reset forgets requests and restores the first responder", async () => {
    server.reset();
    expect(server.requests).toEqual([]);
    expect(await (await fetch(`${server.url}/c`)).text()).toBe("echo GET /c");
  });
});
