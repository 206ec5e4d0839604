"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { Loader2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useReducer } from "react";
import { Markdown } from "@/components/markdown";
import { useTRPC } from "@/trpc/react";
import { chatErrorText } from "./chat-errors";
import type { ChatMessage } from "./types";

type Live = { text: string; queued: { position: number; queueSize: number; workersOnline: number } | null; started: boolean };

type Action =
  | { type: "queued"; position: number; queueSize: number; workersOnline: number }
  | { type: "started" }
  | { type: "token"; text: string }
  | { type: "reset" };

function reduce(state: Live, action: Action): Live {
  switch (action.type) {
    case "queued":
      return { ...state, queued: { position: action.position, queueSize: action.queueSize, workersOnline: action.workersOnline } };
    case "started":
      return { ...state, queued: null, started: true };
    case "token":
      return { ...state, queued: null, started: true, text: state.text + action.text };
    case "reset":
      return { ...state, text: "" };
  }
}

/**
 * A reply on its way: follows `chat.streamReply` (SSE; a dropped connection resumes after the last event id) and shows
 * the queue position, then the text as it arrives. The final message goes to `onFinished`, which replaces this.
 */
export function LiveReply({ message, onFinished, onProgress }: {
  message: ChatMessage;
  onFinished: (message: ChatMessage) => void;
  onProgress?: () => void;
}) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const [live, dispatch] = useReducer(reduce, { text: "", queued: null, started: message.state === "in_progress" });
  const subscription = useSubscription(
    trpc.chat.streamReply.subscriptionOptions(
      { messageId: message.id },
      {
        onData: ({ data: event }) => {
          if (event.type === "message" || event.type === "error") onFinished(event.message);
          else dispatch(event.type === "token" ? { type: "token", text: event.text } : event);
        },
      },
    ),
  );

  useEffect(() => {
    onProgress?.();
  }, [live.text, onProgress]);

  return (
    <div className="flex flex-col gap-2" data-testid="live-reply" aria-live="polite" aria-busy="true">
      {live.text ? (
        <Markdown>{live.text}</Markdown>
      ) : (
        <div className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="size-4 animate-spin" aria-hidden />
          {live.queued ? (
            <span data-testid="queue-position">
              {live.queued.workersOnline === 0
                ? t("live.noWorker", { position: live.queued.position })
                : t("live.queued", { position: live.queued.position, size: live.queued.queueSize })}
            </span>
          ) : (
            <span>{live.started ? t("live.thinking") : t("live.waiting")}</span>
          )}
        </div>
      )}
      {live.text && <span className="inline-block h-4 w-2 animate-pulse bg-foreground/60" aria-hidden />}
      {subscription.status === "error" && (
        <p className="text-sm text-destructive" role="alert">{chatErrorText(t, subscription.error)}</p>
      )}
    </div>
  );
}
