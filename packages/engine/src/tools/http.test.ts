import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressGuard } from "./egress.js";
import { createHttpTool, expandUrl, type HttpToolDefinition, parseToolTimeout } from "./http.js";
import { MAX_RESPONSE_BYTES, TRUNCATION_NOTE } from "./http-request.js";

let server: RecordingServer;
let elsewhere: RecordingServer;
let base: string;
// A tenant's guard, with the local test servers allowed explicitly.
const guard = new EgressGuard({ blockInternal: true, allow: ["127.0.0.1"] });

beforeAll(async () => {
  server = await startRecordingServer((req, res) => {
    if (req.url.startsWith("/missing")) return res.writeHead(404).end("no such thing");
    if (req.url.startsWith("/slow")) return; // never answers
    if (req.url.startsWith("/big")) return res.end("x".repeat(MAX_RESPONSE_BYTES + 10));
    if (req.url.startsWith("/moved")) return res.writeHead(302, { location: "/echo?from=moved" }).end();
    if (req.url.startsWith("/away")) return res.writeHead(307, { location: `${elsewhere.url}/landed` }).end();
    res.setHeader("content-type", "application/json").end(JSON.stringify({ ok: true, url: req.url }));
  });
  base = server.url;
  elsewhere = await startRecordingServer((_req, res) => res.end("elsewhere"));
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
  await guard.close();
});

function tool(http: Partial<HttpToolDefinition["http"]>, extra: Partial<HttpToolDefinition> = {}, egress = guard) {
  return createHttpTool({ namespace: "default", name: "weather", http: { url: `${base}/echo`, method: "GET", ...http }, ...extra }, egress);
}
const call = (t: ReturnType<typeof tool>, args: unknown = {}) => t.execute(typeof args === "string" ? args : JSON.stringify(args), { toolCallId: "c1", agent: "default/a" });

describe("HTTP tools (docs/upstream-compat.md §7.3)", () => {
  it("query-escapes {arg} placeholders like Go (spaces as +, %v of numbers) and leaves unknown ones", async () => {
    expect(expandUrl("http://h/{city}/{lat}?q={q}&x={missing}", { city: "São Paulo", lat: 41.85, q: "a&b=c/d!" })).toBe("http://h/S%C3%A3o+Paulo/41.85?q=a%26b%3Dc%2Fd%21&x={missing}");
    const result = await call(tool({ url: `${base}/echo?city={city}&n={n}` }), { city: "New York", n: 1000000 });
    expect(JSON.parse(result.content)).toEqual({ ok: true, url: "/echo?city=New+York&n=1e%2B06" });
    expect(server.requests.at(-1)?.method).toBe("GET");
  });

  it("renders the body template over .input and bodyParameters for POST and sets the headers", async () => {
    const t = tool({ method: "POST", body: '{"city":"{{.input.city}}","key":"{{.apiKey}}"}' }, { headers: { "content-type": "application/json", authorization: "Bearer s3cret" }, bodyParameters: { apiKey: "k-1" } });
    await call(t, { city: "Oslo" });
    const request = server.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", body: '{"city":"Oslo","key":"k-1"}' });
    expect(request.headers).toMatchObject({ "content-type": "application/json", authorization: "Bearer s3cret" });
    await call(tool({ method: "GET", body: "ignored" }));
    expect(server.requests.at(-1)?.body).toBe("");
  });

  it("fails an error status as a tool error the model sees, and bad arguments likewise", async () => {
    await expect(call(tool({ url: `${base}/missing` }))).rejects.toThrow(/^HTTP error 404: Not Found$/);
    await expect(call(tool({}), "{not json")).rejects.toThrow(/^failed to parse arguments/);
  });

  it("follows a redirect and returns the final body", async () => {
    const result = await call(tool({ url: `${base}/moved` }));
    expect(JSON.parse(result.content)).toMatchObject({ url: "/echo?from=moved" });
  });

  it("drops every secret-bearing header on a redirect to another origin, keeps them within the origin", async () => {
    const headers = {
      Authorization: "Bearer s3cret",
      "Proxy-Authorization": "Basic cHJveHk=",
      Cookie: "session=abc",
      "x-api-key": "key-1",
      "api-key": "key-2",
      "x-tenant-token": "from-a-secret",
      accept: "application/json",
      "user-agent": "ark-test",
    };
    await call(tool({ url: `${base}/moved` }, { headers }));
    expect(server.requests.at(-1)?.headers).toMatchObject({ authorization: "Bearer s3cret", "x-api-key": "key-1", "x-tenant-token": "from-a-secret" });

    const { content } = await call(tool({ url: `${base}/away` }, { headers }));
    expect(content).toBe("elsewhere");
    const landed = elsewhere.requests.at(-1)!;
    expect(landed.url).toBe("/landed");
    for (const name of ["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-tenant-token"]) expect(landed.headers[name], name).toBeUndefined();
    expect(landed.headers).toMatchObject({ accept: "application/json", "user-agent": "ark-test" });
  });

  it("JSON-escapes tool-call arguments in a JSON body template, so an argument cannot add fields", async () => {
    const injection = 'x", "admin": true, "y": "';
    const json = { "content-type": "application/json" };
    await call(tool({ method: "POST", body: '{"city":"{{.input.city}}","admin":false}' }, { headers: json }), { city: injection });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ city: injection, admin: false });

    // Outside a string literal: one JSON value stays itself, anything else becomes a string. No content type: the template's shape decides.
    const body = '{"n": {{.input.n}}, "filter": {{.input.filter}}, "note": "{{.input.note}}"}';
    await call(tool({ method: "POST", body }), { n: '1, "admin": true', filter: { tag: "a" }, note: "line\nbreak \\ and \u0000" });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ n: '1, "admin": true', filter: { tag: "a" }, note: "line\nbreak \\ and \u0000" });
    await call(tool({ method: "POST", body }), { n: 5, filter: null, note: 'say "hi"' });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ n: 5, filter: null, note: 'say "hi"' });

    // Not JSON: rendered as upstream does.
    await call(tool({ method: "POST", body: "city={{.input.city}}" }, { headers: { "content-type": "application/x-www-form-urlencoded" } }), { city: 'a"b' });
    expect(server.requests.at(-1)!.body).toBe('city=a"b');
  });

  it("times out after spec.http.timeout (a bare number is seconds)", async () => {
    expect(parseToolTimeout(undefined)).toBe(30_000);
    expect(parseToolTimeout("30")).toBe(30_000);
    expect(parseToolTimeout("2m")).toBe(120_000);
    expect(parseToolTimeout("soon")).toBe(30_000);
    await expect(call(tool({ url: `${base}/slow`, timeout: "1" }))).rejects.toThrow(/timed out after 1s/);
  });

  it("caps the response at 1 MiB and says so", async () => {
    const { content } = await call(tool({ url: `${base}/big` }));
    expect(content.endsWith(`\n${TRUNCATION_NOTE}`)).toBe(true);
    expect(content.length).toBe(MAX_RESPONSE_BYTES + TRUNCATION_NOTE.length + 1);
  });
});
