import { randomBytes, X509Certificate } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface ServingCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const DAY = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
const SERVING_VALIDITY_DAYS = 365;
// Reissue a little before expiry, so a long-running dev stack does not start with a nearly dead certificate.
const RENEW_BEFORE_DAYS = 30;

const files = (arkHome: string) => {
  const dir = join(arkHome, "pki");
  return {
    dir,
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    cert: join(dir, "apiserver.crt"),
    key: join(dir, "apiserver.key"),
  };
};

/**
 * A CA and a serving certificate signed by it under `$ARK_HOME/pki/`, reused across restarts while
 * they are valid for `hosts`; kubectl only sends its bearer token over TLS it can verify.
 */
export async function ensureServingCertificates(arkHome: string, hosts: readonly string[] = ["localhost", "127.0.0.1"]): Promise<ServingCertificates> {
  const paths = files(arkHome);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const ca = (await readUsableCa(paths)) ?? (await createCa(paths));
  const existing = await readPair(paths.cert, paths.key);
  if (existing !== undefined && servesHosts(existing.cert, ca.cert, hosts)) {
    return { caPem: ca.cert, certPem: existing.cert, keyPem: existing.key };
  }
  const issued = await generate([{ name: "commonName", value: "ark-apiserver" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + SERVING_VALIDITY_DAYS * DAY),
    ca: { cert: ca.cert, key: ca.key },
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: hosts.map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })) },
    ],
  });
  await writeSecretFile(paths.key, issued.private);
  await writeFile(paths.cert, issued.cert, { mode: 0o644 });
  return { caPem: ca.cert, certPem: issued.cert, keyPem: issued.private };
}

async function readUsableCa(paths: ReturnType<typeof files>): Promise<{ cert: string; key: string } | undefined> {
  const pair = await readPair(paths.caCert, paths.caKey);
  if (pair === undefined) return undefined;
  try {
    const cert = new X509Certificate(pair.cert);
    return cert.ca && validLongEnough(cert) ? pair : undefined;
  } catch {
    return undefined;
  }
}

async function createCa(paths: ReturnType<typeof files>): Promise<{ cert: string; key: string }> {
  const ca = await generate([{ name: "commonName", value: `ark-ca@${Math.floor(Date.now() / 1000)}` }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + CA_VALIDITY_DAYS * DAY),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  await writeSecretFile(paths.caKey, ca.private);
  await writeFile(paths.caCert, ca.cert, { mode: 0o644 });
  return { cert: ca.cert, key: ca.private };
}

function servesHosts(certPem: string, caPem: string, hosts: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey) || !validLongEnough(cert)) return false;
    return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
  } catch {
    return false;
  }
}

function validLongEnough(cert: X509Certificate): boolean {
  const now = Date.now();
  return Date.parse(cert.validFrom) <= now && Date.parse(cert.validTo) - now > RENEW_BEFORE_DAYS * DAY;
}

async function readPair(certPath: string, keyPath: string): Promise<{ cert: string; key: string } | undefined> {
  try {
    return { cert: await readFile(certPath, "utf8"), key: await readFile(keyPath, "utf8") };
  } catch {
    return undefined;
  }
}

/**
 * Writes a file only its owner can read, also when it already existed with a looser mode. Atomically: written
 * beside and renamed over, so a client reading it meanwhile (a kubeconfig at startup) sees the old or the new file.
 */
export async function writeSecretFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, content, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
