/** Condition of Models, Agents, Teams and Tools: usable as configured (references resolve, the provider answers). */
export const AVAILABLE = "Available";
