import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseRoutes } from "../services/localhost-gateway/src/routes.js";
import { envNamesReadBy, interpolateDefaults, readCompose, type ComposeService } from "./artifacts/compose.js";
import { configSchemaKeys } from "./artifacts/config-schemas.js";
import { contextCopies, envOf, filteredPackages, lastStage, readDockerfile, withBuildArgs, type Instruction } from "./artifacts/dockerfile.js";
import { ARCHITECTURE_PORTS } from "./artifacts/ports.js";
import { productionClosure, workspacePackages } from "./artifacts/workspace.js";

// Checks docker-compose.yaml and the Dockerfiles against the repository, since no Docker engine runs here.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const compose = readCompose(join(root, "docker-compose.yaml"));
const services = Object.entries(compose.services);
const packages = workspacePackages(root);

/** Scripts (no zod schema) whose environment is the variables they read. */
const ENV_SOURCES: Record<string, string[]> = {
  "mock-model": ["packages/testing/src/mock-model/main.ts"],
  bootstrap: ["compose/bootstrap.mjs"],
  // Its command is inline: it writes one file and reads no variable.
  secrets: [],
  "engine-secrets": [],
};

/** One image build of the compose file: its Dockerfile with the build args substituted, and the service folder it builds. */
interface ImageBuild {
  label: string;
  file: string;
  instructions: Instruction[];
  folder: string | undefined;
}

function dockerfileOf(service: ComposeService): string | undefined {
  return service.build ? relative(root, resolve(root, service.build.context, service.build.dockerfile ?? "Dockerfile")) : undefined;
}

/** The service folder a compose service's image runs: the SERVICE build arg of the one service Dockerfile. */
function serviceFolderOf(service: ComposeService): string | undefined {
  return dockerfileOf(service) === SERVICE_DOCKERFILE ? service.build?.args?.SERVICE : undefined;
}

const SERVICE_DOCKERFILE = "Dockerfile";
const builds: ImageBuild[] = [
  ...new Map(
    services.flatMap(([name, service]) => {
      const file = dockerfileOf(service);
      if (!file) return [];
      const args = Object.fromEntries(Object.entries(service.build!.args ?? {}).map(([k, v]) => [k, String(v)]));
      const build: ImageBuild = { label: `${file} (${name})`, file, instructions: withBuildArgs(readDockerfile(join(root, file)), args), folder: serviceFolderOf(service) };
      // Services sharing one build (ark-controller and ark-worker) are checked once.
      return [[`${file} ${JSON.stringify(args)}`, build] as const];
    }),
  ).values(),
].sort((a, b) => a.label.localeCompare(b.label));
const serviceFolders = readdirSync(join(root, "services")).filter((folder) => existsSync(join(root, "services", folder, "src", "main.ts")));

function exposedPort(stage: Instruction[]): number | undefined {
  const expose = stage.find((i) => i.op === "EXPOSE");
  return expose ? Number(expose.args.split("/")[0]) : undefined;
}

describe("Dockerfiles", () => {
  it("one Dockerfile builds every service: the compose file builds each services/ folder with it (SERVICE, PORT), none has its own", () => {
    expect(builds.length).toBeGreaterThan(0);
    expect(readdirSync(join(root, "services")).filter((folder) => existsSync(join(root, "services", folder, "Dockerfile")))).toEqual([]);
    for (const [name, service] of services) {
      if (!service.build) continue;
      expect(existsSync(resolve(root, service.build.context)), `${name}: build context`).toBe(true);
      expect(existsSync(resolve(root, dockerfileOf(service)!)), `${name}: ${dockerfileOf(service)}`).toBe(true);
      const folder = serviceFolderOf(service);
      if (folder) {
        expect(serviceFolders, `${name}: SERVICE=${folder}`).toContain(folder);
        expect(service.build.args?.PORT, `${name}: PORT`).toBe(String(ARCHITECTURE_PORTS[folder]));
        expect(service.image, `${name}: image`).toMatch(new RegExp(`^ark/${folder}:`));
      }
    }
    const built = new Set(services.map(([, service]) => serviceFolderOf(service)));
    expect(serviceFolders.filter((folder) => !built.has(folder))).toEqual([]);
  });

  it.each(builds)("$label: COPY sources exist in the repository", ({ file, instructions }) => {
    for (const { sources } of contextCopies(instructions)) {
      for (const source of sources) expect(existsSync(join(root, source)), `${file}: COPY ${source}`).toBe(true);
    }
  });

  it.each(builds)("$label: filters name workspace packages, and the deployed one's run-time closure is copied in before install", ({ file, instructions, folder }) => {
    const filtered = filteredPackages(instructions);
    expect(filtered.length, `${file}: no --filter`).toBeGreaterThan(0);
    for (const name of filtered) expect(packages.has(name), `${file}: --filter ${name}`).toBe(true);

    const deploy = /--filter "?([^"\s]+)"? deploy --prod \/out/.exec(
      instructions
        .filter((i) => i.op === "RUN")
        .map((i) => i.args)
        .join(" && "),
    );
    expect(deploy, `${file}: pnpm --filter <pkg> deploy --prod /out`).not.toBeNull();
    const deployed = deploy![1]!;
    if (folder) expect(packages.get(deployed)?.dir).toBe(`services/${folder}`);

    const install = instructions.findIndex((i) => i.op === "RUN" && /pnpm install (--offline )?--frozen-lockfile/.test(i.args));
    expect(install, `${file}: pnpm install --frozen-lockfile`).toBeGreaterThan(-1);
    const copies = contextCopies(instructions);
    const copiedBefore = new Set(contextCopies(instructions.slice(0, install + 1)).flatMap((c) => c.sources));
    const copied = new Set(copies.flatMap((c) => c.sources));
    for (const name of productionClosure(packages, deployed)) {
      const dir = packages.get(name)!.dir;
      expect(copiedBefore.has(".") || copiedBefore.has(`${dir}/package.json`), `${file}: COPY ${dir}/package.json before install`).toBe(true);
      expect(copied.has(".") || copied.has(dir), `${file}: COPY ${dir}`).toBe(true);
    }
  });

  // pnpm refuses to fetch or install without the patch files the workspace names (pnpm-workspace.yaml patchedDependencies).
  it.each(builds)("$label: the dependency patches are copied in before pnpm first reads the lockfile", ({ file, instructions }) => {
    const patched = (parseYaml(readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")) as { patchedDependencies?: Record<string, string> }).patchedDependencies ?? {};
    const fetch = instructions.findIndex((i) => i.op === "RUN" && /pnpm (fetch|install)/.test(i.args));
    expect(fetch, `${file}: pnpm fetch or install`).toBeGreaterThan(-1);
    const copiedBefore = contextCopies(instructions.slice(0, fetch)).flatMap((c) => c.sources);
    for (const patch of Object.values(patched)) {
      expect(existsSync(join(root, patch)), patch).toBe(true);
      expect(
        copiedBefore.some((source) => patch === source || patch.startsWith(`${source.replace(/\/$/, "")}/`)),
        `${file}: COPY ${patch} before pnpm fetch or install`,
      ).toBe(true);
    }
  });

  it.each(builds)("$label: the runtime stage runs node dist/… as a non-root user in production, with a health check", ({ file, instructions, folder }) => {
    const runtime = lastStage(instructions);
    const env = envOf(runtime);
    expect(env.NODE_ENV).toBe("production");
    expect(env.HOST).toBe("0.0.0.0");
    const user = runtime.findLast((i) => i.op === "USER")?.args;
    expect(user, `${file}: USER`).toBeDefined();
    expect(["root", "0", "0:0"]).not.toContain(user);
    const cmd = JSON.parse(runtime.find((i) => i.op === "CMD")!.args) as string[];
    expect(cmd[0]).toBe("node");
    expect(cmd[1]).toMatch(/^dist\/.+\.js$/);
    const healthcheck = runtime.find((i) => i.op === "HEALTHCHECK")?.args ?? "";
    expect(healthcheck.includes(`:${env.PORT}`) || (healthcheck.includes("HEALTHCHECK_URL") && env.HEALTHCHECK_URL?.includes(`://127.0.0.1:${env.PORT}/`)), `${file}: health check on PORT`).toBe(true);
    expect(String(exposedPort(runtime))).toBe(env.PORT);
    if (folder) {
      expect(exposedPort(runtime), `${file}: docs/architecture.md §6 port`).toBe(ARCHITECTURE_PORTS[folder]);
      expect(existsSync(join(root, "services", folder, cmd[1]!.replace(/^dist\//, "src/").replace(/\.js$/, ".ts")))).toBe(true);
    }
  });
});

/** The named volume a service mounts at `path`. */
function volumeAt(service: ComposeService, path: string): string | undefined {
  return (service.volumes ?? []).map((v) => v.split(":")).find(([, target]) => target === path)?.[0];
}

describe("docker-compose.yaml", () => {
  it("runs Postgres, NATS with JetStream, every ARK service, a scalable worker, the gateway and a one-shot bootstrap", () => {
    const names = services.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(["postgres", "nats", "ark-apiserver", "ark-controller", "ark-worker", "ark-api", "postgres-memory", "localhost-gateway", "bootstrap"]));
    expect(compose.services.nats!.command).toContain("-js");
    expect(compose.services["ark-controller"]!.environment!.ARK_CONTROLLER_ROLES).toBe("reconciler");
    expect(compose.services["ark-worker"]!.environment!.ARK_CONTROLLER_ROLES).toBe("worker");
    expect(compose.services["ark-worker"]!.ports, "a scaled service cannot publish a fixed port").toBeUndefined();
    expect(compose.services.bootstrap!.restart).toBe("no");
  });

  it("publishes each service on its docs/architecture.md §6 port, the one its config defaults to", async () => {
    for (const [name, service] of services) {
      const folder = serviceFolderOf(service);
      if (!folder || !service.ports) continue;
      expect(service.ports).toContain(`127.0.0.1:${ARCHITECTURE_PORTS[folder]}:${ARCHITECTURE_PORTS[folder]}`);
      const keys = await configSchemaKeys(root, `services/${folder}`);
      expect(keys?.has("PORT"), `${name}: config schema`).toBe(true);
    }
  });

  it("sets only environment variables the service reads", async () => {
    for (const [name, service] of services) {
      const folder = serviceFolderOf(service);
      const set = Object.keys(service.environment ?? {});
      if (ENV_SOURCES[name]) {
        const known = new Set(["PORT", "HOST", "NODE_ENV"]);
        for (const source of ENV_SOURCES[name]) for (const key of envNamesReadBy(readFileSync(join(root, source), "utf8"))) known.add(key);
        for (const key of set) expect(known.has(key), `${name}: ${key} is read by none of ${ENV_SOURCES[name].join(", ")}`).toBe(true);
        continue;
      }
      if (!folder) continue;
      expect(service.command, `${name}: a service with its own command needs ENV_SOURCES`).toBeUndefined();
      const keys = await configSchemaKeys(root, `services/${folder}`);
      expect(keys, `${name}: services/${folder}/src/config.ts exports no schema`).toBeDefined();
      // NAME_FILE reads NAME from a file (service-kit's loadConfig).
      for (const key of set) expect(keys!.has(key) || keys!.has(key.replace(/_FILE$/, "")), `${name}: ${key} is not in services/${folder}/src/config.ts`).toBe(true);
    }
  });

  it("depends only on services that exist, with health checks for service_healthy and one-shots for completed", () => {
    for (const [name, service] of services) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        const dependency = compose.services[target];
        expect(dependency, `${name} depends on ${target}`).toBeDefined();
        expect(["service_healthy", "service_completed_successfully", "service_started"]).toContain(condition);
        if (condition === "service_healthy") expect(dependency!.healthcheck?.test, `${target}: healthcheck`).toBeDefined();
        if (condition === "service_completed_successfully") expect(dependency!.restart, `${target}: one-shot`).toBe("no");
      }
    }
  });

  it("gives every Kubernetes client its own kubeconfig (its ServiceAccount, not the admin's token), naming a host the certificate covers", () => {
    const apiserver = compose.services["ark-apiserver"]!;
    const env = apiserver.environment!;
    const dir = String(env.ARK_APISERVER_SERVICE_KUBECONFIG_DIR);
    const shared = volumeAt(apiserver, dir);
    expect(shared, "ark-apiserver writes the services' kubeconfigs into a volume").toBeDefined();
    // The admin kubeconfig stays in the apiserver's own state, which no other service mounts.
    expect(volumeAt(apiserver, dirname(String(env.ARK_APISERVER_KUBECONFIG)))).toBe(volumeAt(apiserver, String(env.ARK_HOME)));
    expect(env.ARK_APISERVER_PUBLIC_URL).toBe("https://ark-apiserver:6443");
    const identities = String(env.ARK_APISERVER_SERVICE_KUBECONFIGS).split(",");
    const identityOf: Record<string, string> = {
      "ark-controller": "ark-controller-reconciler",
      "ark-worker": "ark-controller-worker",
      "ark-mcp": "ark-mcp",
      "ark-api": "ark-api",
      "ark-api-a2a": "ark-api-a2a",
      bootstrap: "ark-api",
      "evaluator-llm": "evaluator-llm",
    };
    for (const [name, service] of services) {
      const kubeconfig = service.environment?.KUBECONFIG;
      if (kubeconfig === undefined) continue;
      const mount = (service.volumes ?? []).find((v) => v.startsWith(`${shared}:`));
      expect(mount, `${name}: mounts ${shared}`).toBeDefined();
      expect(mount, `${name}: read-only`).toMatch(/:ro$/);
      expect(identities, `${name}: its identity is made`).toContain(identityOf[name]);
      expect(String(kubeconfig), `${name}: its own identity's kubeconfig`).toBe(`${mount!.split(":")[1]}/kubeconfig-${identityOf[name]}`);
      expect(service.depends_on?.["ark-apiserver"]?.condition, `${name}: waits for ark-apiserver`).toBe("service_healthy");
    }
  });

  it("publishes on 127.0.0.1 only, and only ark-apiserver, ark-api and the gateway", () => {
    const published = services.filter(([, service]) => service.ports?.length).map(([name]) => name);
    expect(published.sort()).toEqual(["ark-api", "ark-apiserver", "localhost-gateway"]);
    for (const [name, service] of services) {
      for (const port of service.ports ?? []) expect(port, `${name}: ${port}`).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
    // The gateway has no auth of its own: by default it forwards to ark-api and ark-api-a2a, which authenticate, and to
    // the dashboard, which serves the app and forwards to ark-api only.
    const routes = parseRoutes(interpolateDefaults(String(compose.services["localhost-gateway"]!.environment!.GATEWAY_ROUTES)));
    expect(routes.map((route) => new URL(route.upstream).hostname)).toEqual(["ark-api", "ark-api-a2a", "ark-dashboard"]);
  });

  it("has no well-known token: ark-apiserver generates its own, ark-api's admin key is generated and stored hashed", () => {
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        // A NAME_FILE is where a generated credential lies (a volume), not a credential.
        if (/TOKEN|SECRET|API_KEY$|ADMIN_KEY$/.test(key) && !key.endsWith("_FILE")) expect(interpolateDefaults(String(value ?? "")), `${name}: ${key} has a default`).toBe("");
      }
    }
    expect(compose.services["ark-apiserver"]!.environment!.ARK_APISERVER_TOKEN).toBeUndefined();
    const api = compose.services["ark-api"]!;
    expect(interpolateDefaults(String(api.environment!.ARK_API_AUTH))).toBe("apikey");
    const hashFile = String(api.environment!.ARK_API_ADMIN_KEY_SHA256_FILE);
    const bootstrap = compose.services.bootstrap!;
    expect(bootstrap.environment!.ARK_API_ADMIN_KEY_SHA256_FILE).toBe(hashFile);
    const volume = volumeAt(api, dirname(hashFile));
    expect(volume, "ark-api reads the hash from a volume").toBeDefined();
    expect(volumeAt(bootstrap, dirname(hashFile)), "the bootstrap writes it there").toBe(volume);
    expect(api.depends_on?.bootstrap?.condition).toBe("service_completed_successfully");
    const script = readFileSync(join(root, "compose", "bootstrap.mjs"), "utf8");
    expect(script).toMatch(/randomBytes\(/);
    expect(script).toMatch(/createHash\("sha256"\)/);
  });

  it("gives postgres-memory and the workers a generated shared secret, in a volume only they and its maker mount", () => {
    const memory = compose.services["postgres-memory"]!;
    const worker = compose.services["ark-worker"]!;
    const file = String(memory.environment!.MEMORY_AUTH_SECRET_FILE);
    expect(worker.environment!.MEMORY_AUTH_SECRET_FILE).toBe(file);
    expect(memory.environment!.MEMORY_AUTH).toBeUndefined();
    const volume = volumeAt(memory, dirname(file));
    expect(volume).toBeDefined();
    expect(volumeAt(worker, dirname(file))).toBe(volume);
    const mounting = services.filter(([, service]) => (service.volumes ?? []).some((v) => v.split(":")[0] === volume)).map(([name]) => name);
    expect(mounting.sort()).toEqual(["ark-worker", "postgres-memory", "secrets"]);
    const maker = compose.services.secrets!;
    expect(maker.restart).toBe("no");
    expect(String(maker.command)).toMatch(/randomBytes\(32\)/);
    for (const service of [memory, worker]) expect(service.depends_on?.secrets?.condition).toBe("service_completed_successfully");
  });

  it("keeps ark-apiserver's state (CA key, token) in a volume no other service mounts", () => {
    const apiserver = compose.services["ark-apiserver"]!;
    const state = volumeAt(apiserver, String(apiserver.environment!.ARK_HOME));
    expect(state).toBeDefined();
    for (const [name, service] of services) {
      if (name === "ark-apiserver") continue;
      expect(
        (service.volumes ?? []).some((v) => v.split(":")[0] === state),
        `${name} mounts ${state}`,
      ).toBe(false);
    }
  });

  it("lets each service's compose name through its DNS-rebinding guard wherever a service calls it by that name", () => {
    for (const [caller, service] of services) {
      for (const value of Object.values(service.environment ?? {})) {
        for (const [, host] of interpolateDefaults(String(value ?? "")).matchAll(/https?:\/\/([a-z0-9-]+):\d+/g)) {
          const target = compose.services[host!];
          if (!target) continue;
          const allowed = interpolateDefaults(String(target.environment?.ALLOWED_HOSTS ?? "")).split(",");
          expect(allowed, `${caller} calls ${host}: ${host}'s ALLOWED_HOSTS`).toContain(host);
        }
      }
    }
  });

  it("routes the gateway to compose services on their own ports", () => {
    const routes = parseRoutes(interpolateDefaults(String(compose.services["localhost-gateway"]!.environment!.GATEWAY_ROUTES)));
    for (const route of routes) {
      const url = new URL(route.upstream);
      const target = compose.services[url.hostname];
      expect(target, `route ${route.name} → ${url.hostname}`).toBeDefined();
      const folder = serviceFolderOf(target!);
      const port = folder ? ARCHITECTURE_PORTS[folder] : Number(target!.environment?.PORT);
      expect(Number(url.port), `route ${route.name}`).toBe(port);
    }
  });

  it("has defaults for every ${VAR} it interpolates, so a bare `docker compose up` works", () => {
    const text = readFileSync(join(root, "docker-compose.yaml"), "utf8");
    const bare = [...text.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]);
    expect(bare).toEqual([]);
    expect(interpolateDefaults("postgres://ark:${POSTGRES_PASSWORD:-ark}@postgres")).toBe("postgres://ark:ark@postgres");
  });

  const composeCli = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
  it.skipIf(composeCli.status !== 0)("passes `docker compose config` (needs the compose plugin, not an engine)", () => {
    execFileSync("docker", ["compose", "-f", join(root, "docker-compose.yaml"), "config", "-q"], { cwd: root, stdio: "pipe" });
  });
});
