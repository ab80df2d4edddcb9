import type { TestProject } from "vitest/node";
import { type StartedTestServices, startTestServices } from "../services/test-services.js";
import { PROVIDED_KEY } from "./provided-context.js";

// Every project's config (and the root config) lists this file, and vitest loads it once per project,
// each time as a fresh module; the services live on globalThis of the main process, so they start once per run.
interface SharedState {
  services: Promise<StartedTestServices>;
  users: number;
}
const STATE_KEY = Symbol.for("@ark/testing/test-services");
type GlobalWithState = typeof globalThis & { [STATE_KEY]?: SharedState };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const global = globalThis as GlobalWithState;
  let state = global[STATE_KEY];
  if (!state) {
    state = { services: startTestServices(), users: 0 };
    global[STATE_KEY] = state;
    state.services.then(
      (services) => console.log(services.summary),
      () => {},
    );
  }
  state.users++;
  const services = await state.services;
  project.provide(PROVIDED_KEY, services.context);

  let tornDown = false;
  return async () => {
    if (tornDown || !state) return;
    tornDown = true;
    state.users--;
    if (state.users === 0) {
      delete global[STATE_KEY];
      await services.stop();
    }
  };
}
