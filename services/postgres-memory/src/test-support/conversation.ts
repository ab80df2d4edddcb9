/** An OpenAI chat conversation with every shape memory must keep verbatim. */
export const toolConversation = [
  { role: "system", content: "You are a weather agent." },
  { role: "user", content: "Weather in Paris and Zürich? 🌦", name: "alice" },
  {
    role: "assistant",
    content: null,
    tool_calls: [
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Zürich"}' } },
    ],
  },
  { role: "tool", tool_call_id: "call_1", content: '{"temp":18.5,"unit":"C"}' },
  { role: "tool", tool_call_id: "call_2", content: '14 °C, "rain"\n' },
  { role: "assistant", content: [{ type: "text", text: "Paris 18.5 °C, Zürich 14 °C." }], refusal: null },
] as const;
