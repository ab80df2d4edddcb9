import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, get } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ensureServingCertificates, writeKubeconfig, type ServingCertificates } from "./index.js";

let arkHome: string;
let first: ServingCertificates;

beforeAll(async () => {
  arkHome = await mkdtemp(join(tmpdir(), "ark-tls-"));
  first = await ensureServingCertificates(arkHome);
});
afterAll(() => rm(arkHome, { recursive: true, force: true }));

const mode = async (path: string) => (await stat(path)).mode & 0o777;

function fetchOverTls(port: number, host: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", servername: host === "127.0.0.1" ? undefined : host, port, ca, path: "/", headers: { host } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

describe("ensureServingCertificates", () => {
  it("writes a CA and a serving certificate signed by it, keys readable by the owner only", async () => {
    const pki = join(arkHome, "pki");
    expect(await mode(join(pki, "ca.key"))).toBe(0o600);
    expect(await mode(join(pki, "apiserver.key"))).toBe(0o600);
    expect(await readFile(join(pki, "ca.crt"), "utf8")).toBe(first.caPem);
    const ca = new X509Certificate(first.caPem);
    const cert = new X509Certificate(first.certPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
  });

  it("reuses the files on restart", async () => {
    expect(await ensureServingCertificates(arkHome)).toEqual(first);
  });

  it("reissues the serving certificate, with the same CA, when a host is missing", async () => {
    const widened = await ensureServingCertificates(arkHome, ["localhost", "127.0.0.1", "ark-apiserver.local"]);
    expect(widened.caPem).toBe(first.caPem);
    expect(widened.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(widened.certPem).checkHost("ark-apiserver.local")).toBe("ark-apiserver.local");
    first = widened;
  });

  it("serves TLS that a client trusting only the CA accepts, by name and by IP", async () => {
    const server = createServer({ cert: first.certPem, key: first.keyPem }, (_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await fetchOverTls(port, "localhost", first.caPem)).toBe("ok");
      expect(await fetchOverTls(port, "127.0.0.1", first.caPem)).toBe("ok");
    } finally {
      server.close();
    }
  });
});

describe("writeKubeconfig", () => {
  it("writes the CA, the token and the current context, mode 0600", async () => {
    const path = join(arkHome, "nested", "kubeconfig");
    await writeKubeconfig({ path, server: "https://127.0.0.1:6443", caPem: first.caPem, token: "t0k3n" });
    expect(await mode(path)).toBe(0o600);
    const config = parse(await readFile(path, "utf8"));
    expect(config).toMatchObject({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "ark",
      clusters: [{ name: "ark", cluster: { server: "https://127.0.0.1:6443" } }],
      users: [{ name: "ark", user: { token: "t0k3n" } }],
      contexts: [{ name: "ark", context: { cluster: "ark", user: "ark", namespace: "default" } }],
    });
    expect(Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString()).toBe(first.caPem);
  });
});
