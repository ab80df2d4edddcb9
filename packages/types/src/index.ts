export const GROUP = "ark.mckinsey.com";
