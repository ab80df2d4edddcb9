import { describe, expect, it } from "vitest";
import { isEngineError } from "../errors.js";
import { coerceProperties } from "./properties.js";

describe("coerceProperties", () => {
  it("types the upstream keys and leaves strings as strings", () => {
    expect(coerceProperties({ temperature: "0.2", frequency_penalty: "-0.5", max_completion_tokens: "64", n: "1", logprobs: "false", stop: '["a","b"]', user: "42", seed: "7" }, "m")).toEqual({
      temperature: 0.2,
      frequency_penalty: -0.5,
      max_completion_tokens: 64,
      n: 1,
      logprobs: false,
      stop: ["a", "b"],
      user: "42",
      seed: 7,
    });
  });

  it("takes JSON, booleans and numbers for unknown keys, skips empty and reserved ones", () => {
    expect(coerceProperties({ logit_bias: '{"50256":-100}', x_flag: "true", x_num: "3", x_text: "low", model: "evil", top_k: "" }, "m")).toEqual({
      logit_bias: { "50256": -100 },
      x_flag: true,
      x_num: 3,
      x_text: "low",
    });
  });

  it("names the model and the property when a value has the wrong type", () => {
    expect(() => coerceProperties({ max_tokens: "1.5" }, "model default/gpt")).toThrow('model default/gpt: property max_tokens must be an integer, got "1.5"');
    try {
      coerceProperties({ temperature: "warm" }, "m");
    } catch (error) {
      expect(isEngineError(error, "CONFIG_ERROR")).toBe(true);
    }
  });
});
