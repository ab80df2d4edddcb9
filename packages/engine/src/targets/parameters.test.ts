import { describe, expect, it } from "vitest";
import { type ConfigValueReader, resolveParameters } from "./parameters.js";

const reader: ConfigValueReader = {
  async getSecretValue(ns, name, key) {
    if (name === "gone") throw new Error(`secret ${ns}/${name} not found`);
    return ns === "team" && name === "creds" ? ({ token: "s3cret" } as Record<string, string>)[key] : undefined;
  },
  async getConfigMapValue(ns, name, key) {
    return ns === "team" && name === "settings" ? ({ tone: "friendly" } as Record<string, string>)[key] : undefined;
  },
};

describe("resolveParameters", () => {
  it("reads values, ConfigMaps and Secrets of the namespace", async () => {
    const values = await resolveParameters(
      [
        { name: "who", value: "Ada" },
        { name: "tone", valueFrom: { configMapKeyRef: { name: "settings", key: "tone" } } },
        { name: "token", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
      ],
      "team",
      reader,
    );
    expect(values).toEqual({ who: "Ada", tone: "friendly", token: "s3cret" });
  });

  it("reads an Agent parameter's queryParameterRef from the running query's parameters, as upstream", async () => {
    const parameters = [{ name: "city", valueFrom: { queryParameterRef: { name: "where" } } }];
    expect(await resolveParameters(parameters, "team", reader, { where: "Lisbon" })).toEqual({ city: "Lisbon" });
    await expect(resolveParameters(parameters, "team", reader, {})).rejects.toThrow("parameter city: query parameter 'where' not found");
    await expect(resolveParameters(parameters, "team", reader, { where: "" })).rejects.toThrow("parameter city: query parameter 'where' has no value");
  });

  it("fails like upstream on a parameter without a usable source", async () => {
    await expect(resolveParameters([{ name: "x", value: "" }], "team", reader)).rejects.toThrow("parameter x must specify either value or valueFrom");
    await expect(resolveParameters([{ name: "x", valueFrom: { serviceRef: { name: "s" } } }], "team", reader)).rejects.toThrow("parameter x: no supported valueFrom source specified");
    await expect(resolveParameters([{ name: "x", valueFrom: { secretKeyRef: { name: "creds", key: "nope" } } }], "team", reader)).rejects.toThrow("parameter x: key nope not found in secret team/creds");
    await expect(resolveParameters([{ name: "x", valueFrom: { secretKeyRef: { name: "gone", key: "k" } } }], "team", reader)).rejects.toThrow("parameter x: secret team/gone not found");
  });
});
