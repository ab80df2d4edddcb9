import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { AlreadyExistsError } from "../store/errors.js";
import type { ObjectStore } from "../store/object-store.js";

/**
 * Where the ServiceAccount token signing key is kept: a row of the object store under a group no API route
 * serves, so every replica on the same database signs and verifies alike and a restart keeps tokens valid.
 */
const KEY = { group: "internal.apiserver.ark", resource: "signingkeys", namespace: "", name: "service-account-token" };

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The JWT `kid`: a digest of the public key. */
  keyId: string;
}

/** The ES256 key ServiceAccount tokens are signed with: read from the store, or generated once and stored. */
export async function loadOrCreateSigningKey(store: ObjectStore): Promise<SigningKey> {
  for (;;) {
    const stored = await store.get(KEY);
    const pem = stored?.object.privateKeyPem;
    if (typeof pem === "string") return signingKeyOf(createPrivateKey(pem));
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const object = {
      apiVersion: "v1",
      kind: "SigningKey",
      metadata: { name: KEY.name, uid: randomUUID(), creationTimestamp: `${new Date().toISOString().slice(0, 19)}Z` },
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    };
    try {
      await store.commit({ type: "ADDED", key: KEY, object });
      return signingKeyOf(privateKey);
    } catch (err) {
      // Another replica stored one first: use it.
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
  }
}

function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, publicKey, keyId: createHash("sha256").update(der).digest("base64url") };
}
