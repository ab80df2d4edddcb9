import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { arkChart, CHARTS_DIR, SERVICE_NAMES } from "./ark-charts.js";
import { loadChart } from "./chart/load-chart.js";

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

describe("chart layout (what `helm lint` and `helm dependency` check)", () => {
  const umbrella = arkChart();

  it("every chart is apiVersion v2 with its folder's name and a SemVer version", () => {
    const charts = [umbrella, ...umbrella.subcharts, loadChart(join(CHARTS_DIR, "ark-crds"))];
    for (const c of charts) {
      expect(c.metadata.apiVersion, c.dir).toBe("v2");
      expect(c.dir.endsWith(`/${c.metadata.name}`), c.dir).toBe(true);
      expect(c.metadata.version).toMatch(SEMVER);
    }
  });

  it("lists exactly the subcharts in charts/, each service switched by <name>.enabled", () => {
    const dirs = readdirSync(join(CHARTS_DIR, "ark/charts")).sort();
    const deps = umbrella.metadata.dependencies ?? [];
    expect(deps.map((d) => d.name).sort()).toEqual(dirs);
    for (const d of deps) {
      const sub = umbrella.subcharts.find((s) => s.metadata.name === d.name)!;
      expect(d.version, d.name).toBe(sub.metadata.version);
      if (sub.metadata.type === "library") expect(d.condition).toBeUndefined();
      else expect(d.condition, d.name).toBe(`${d.name}.enabled`);
    }
    expect(dirs.filter((d) => d !== "ark-common").sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it("the umbrella's values name every service with an enabled switch; ark-apiserver and localhost-gateway are off", () => {
    for (const s of SERVICE_NAMES) expect(typeof (umbrella.values[s] as { enabled?: unknown }).enabled, s).toBe("boolean");
    expect(umbrella.values["ark-apiserver"]).toEqual({ enabled: false });
    expect(umbrella.values["localhost-gateway"]).toEqual({ enabled: false });
  });

  it("each service's image is the one the Dockerfile builds with SERVICE=<service> (ark/<service>)", () => {
    expect(existsSync(join(CHARTS_DIR, "../Dockerfile")), "the repository's Dockerfile").toBe(true);
    for (const s of umbrella.subcharts.filter((c) => c.metadata.type !== "library")) {
      expect((s.values.image as { repository: string }).repository).toBe(`ark/${s.metadata.name}`);
      expect(existsSync(join(CHARTS_DIR, "../services", s.metadata.name, "src/main.ts")), `services/${s.metadata.name}/src/main.ts`).toBe(true);
    }
  });
});
