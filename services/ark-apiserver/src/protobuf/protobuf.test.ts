import { describe, expect, it } from "vitest";
import { decodeK8sProtobuf, isProtobuf, ProtobufDecodeError } from "./index.js";
import { k8sProtobuf } from "./messages.js";

// Request bodies captured from kubectl 1.32 (`kubectl create … --save-config`).
const kubectlCreateNamespace = "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhoKEgoCbjESABoAIgAqADIAOABCABIAGgIKABoAIgA=";
const kubectlCreateSecret =
  "azhzAAoMCgJ2MRIGU2VjcmV0EokCCt0BCgJzMhIAGgAiACoAMgA4AEIAYsgBCjBrdWJlY3RsLmt1YmVybmV0ZXMuaW8vbGFzdC1hcHBsaWVkLWNvbmZpZ3VyYXRpb24SkwF7ImtpbmQiOiJTZWNyZXQiLCJhcGlWZXJzaW9uIjoidjEiLCJtZXRhZGF0YSI6eyJuYW1lIjoiczIiLCJjcmVhdGlvblRpbWVzdGFtcCI6bnVsbH0sImRhdGEiOnsidXNlcm5hbWUiOiJkUT09In0sInR5cGUiOiJrdWJlcm5ldGVzLmlvL2Jhc2ljLWF1dGgifQoSDQoIdXNlcm5hbWUSAXUaGGt1YmVybmV0ZXMuaW8vYmFzaWMtYXV0aBoAIgA=";
const kubectlCreateConfigMap =
  "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEpgCCuwBCgJjMhIAGgAiACoAMgA4AEIAYtcBCjBrdWJlY3RsLmt1YmVybmV0ZXMuaW8vbGFzdC1hcHBsaWVkLWNvbmZpZ3VyYXRpb24SogF7ImtpbmQiOiJDb25maWdNYXAiLCJhcGlWZXJzaW9uIjoidjEiLCJtZXRhZGF0YSI6eyJuYW1lIjoiYzIiLCJjcmVhdGlvblRpbWVzdGFtcCI6bnVsbH0sImRhdGEiOnsiayI6InYifSwiYmluYXJ5RGF0YSI6eyJiaW4uZGF0IjoicXBPYjdQcS96anJ2MS9kNWNMV3hybjU2elpvPSJ9fQoSBgoBaxIBdhofCgdiaW4uZGF0EhSqk5vs+r/OOu/X93lwtbGufnrNmhoAIgA=";

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));
const lastApplied = (obj: Record<string, unknown>) => JSON.parse((obj.metadata as { annotations: Record<string, string> }).annotations["kubectl.kubernetes.io/last-applied-configuration"] ?? "");

function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ""): Uint8Array {
  const unknown = k8sProtobuf.lookupType("Unknown");
  const body = unknown.encode(unknown.create({ typeMeta: { apiVersion, kind }, raw, contentEncoding, contentType: "" })).finish();
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...body]);
}

describe("isProtobuf", () => {
  it("matches the Kubernetes protobuf media type only", () => {
    expect(isProtobuf("application/vnd.kubernetes.protobuf")).toBe(true);
    expect(isProtobuf("application/vnd.kubernetes.protobuf; charset=binary")).toBe(true);
    expect(isProtobuf("application/json")).toBe(false);
    expect(isProtobuf(undefined)).toBe(false);
  });
});

describe("decodeK8sProtobuf", () => {
  it("decodes kubectl create namespace", () => {
    expect(decodeK8sProtobuf(fromBase64(kubectlCreateNamespace))).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "n1" },
      spec: {},
      status: {},
    });
  });

  it("decodes kubectl create secret generic into the JSON kubectl would have sent", () => {
    const secret = decodeK8sProtobuf(fromBase64(kubectlCreateSecret));
    expect(secret).toMatchObject({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s2" },
      data: { username: "dQ==" },
      type: "kubernetes.io/basic-auth",
    });
    expect(lastApplied(secret)).toMatchObject({ data: secret.data, type: secret.type });
  });

  it("decodes kubectl create configmap with text and binary data", () => {
    const configMap = decodeK8sProtobuf(fromBase64(kubectlCreateConfigMap));
    expect(configMap).toMatchObject({ kind: "ConfigMap", metadata: { name: "c2" }, data: { k: "v" } });
    expect(configMap.binaryData).toEqual(lastApplied(configMap).binaryData);
  });

  it("decodes the metadata fields kubectl create does not send today", () => {
    const namespace = k8sProtobuf.lookupType("Namespace");
    const raw = namespace
      .encode(
        namespace.create({
          metadata: {
            name: "",
            generateName: "team-",
            labels: { a: "b" },
            annotations: { empty: "" },
            ownerReferences: [{ kind: "Agent", name: "x", uid: "u1", apiVersion: "ark.mckinsey.com/v1alpha1", controller: true }],
            finalizers: ["kubernetes"],
            creationTimestamp: { seconds: 1_764_000_000, nanos: 0 },
          },
          spec: { finalizers: ["kubernetes"] },
          status: { phase: "Active" },
        }),
      )
      .finish();
    expect(decodeK8sProtobuf(envelope("v1", "Namespace", raw))).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        generateName: "team-",
        labels: { a: "b" },
        annotations: { empty: "" },
        ownerReferences: [{ kind: "Agent", name: "x", uid: "u1", apiVersion: "ark.mckinsey.com/v1alpha1", controller: true }],
        finalizers: ["kubernetes"],
        creationTimestamp: "2025-11-24T16:00:00Z",
      },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  });

  it("refuses other kinds, encodings and bodies without the magic number", () => {
    expect(() => decodeK8sProtobuf(envelope("v1", "Pod", new Uint8Array()))).toThrow(/only for the kinds kubectl's create and auth commands send, not v1 Pod/);
    expect(() => decodeK8sProtobuf(envelope("v1", "Secret", new Uint8Array(), "gzip"))).toThrow(ProtobufDecodeError);
    expect(() => decodeK8sProtobuf(new TextEncoder().encode('{"kind":"Secret"}'))).toThrow(/magic number/);
    expect(() => decodeK8sProtobuf(new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff]))).toThrow(ProtobufDecodeError);
  });
});
