import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>["chat"];
type Inputs = inferRouterInputs<AppRouter>["chat"];

export type ChatDetail = Outputs["get"];
export type ChatMessage = ChatDetail["messages"][number];
export type ChatSummary = Outputs["list"]["chats"][number];
export type ModelListing = Outputs["models"];
export type ReplyOptions = NonNullable<Inputs["postMessage"]["reply"]>;

/** States in which a reply is still on its way (the stream is open). */
export function isUnfinished(message: Pick<ChatMessage, "state">): boolean {
  return message.state === "pending" || message.state === "in_progress";
}

/** States in which a reply ended without text to keep (shown as an error with a retry). */
export function isFailed(message: Pick<ChatMessage, "state">): boolean {
  return message.state === "aborted_by_worker" || message.state === "cancelled" || message.state === "timeout";
}
