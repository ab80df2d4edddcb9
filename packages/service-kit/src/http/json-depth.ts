import type { FastifyInstance } from "fastify";
import { ArkError } from "../errors/ark-error.js";

/**
 * How deep a request body may nest. JSON.parse takes any depth, but what handles the value afterwards (validation,
 * JSON.stringify, patches) recurses, and a body a few thousand levels deep overflowed the stack into a 500.
 */
export const MAX_JSON_DEPTH = 100;

interface Frame {
  value: unknown;
  depth: number;
  key: string;
  parent: Frame | undefined;
}

/** Where `value` nests deeper than `max` levels (`body.spec.a.a…`), or undefined; walks without recursion. */
export function jsonDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH, root = "body"): string | undefined {
  const stack: Frame[] = [{ value, depth: 0, key: root, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.value === null || typeof frame.value !== "object") continue;
    if (frame.depth >= max) return pathOf(frame);
    for (const [key, child] of Object.entries(frame.value)) {
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
    }
  }
  return undefined;
}

/** Arrays and plain objects, what JSON.parse makes (not a raw stream or Buffer a route parses itself). */
function isJsonContainer(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function pathOf(frame: Frame): string {
  const keys: string[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) keys.push(f.key);
  keys.reverse();
  return keys.length > 8 ? `${keys.slice(0, 6).join(".")}.….${keys.at(-1)}` : keys.join(".");
}

/** The error for a body nested too deep, naming where. */
function tooDeepError(path: string, max: number = MAX_JSON_DEPTH): ArkError {
  return ArkError.invalidFields([{ field: path, message: `nests deeper than ${max} levels` }]);
}

/** Refuses parsed request bodies nested deeper than MAX_JSON_DEPTH with 400, before any handler walks them. */
export function registerJsonDepthLimit(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    if (!isJsonContainer(request.body)) return;
    const path = jsonDeeperThan(request.body);
    if (path) throw tooDeepError(path);
  });
}
