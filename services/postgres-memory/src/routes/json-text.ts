import type { MessagePage } from "../store/message-store.js";

/** `{"messages":[...]}` from stored JSON texts, without parsing them again. */
export function messagesJson(messageTexts: readonly string[]): string {
  return `{"messages":[${messageTexts.join(",")}]}`;
}

export function messagePageJson(page: MessagePage): string {
  return `{"messages":[${page.messages.join(",")}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}
