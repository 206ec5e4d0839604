import { Bot, UserRound } from "lucide-react";
import { useTranslations } from "next-intl";
import { Markdown } from "@/components/markdown";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import type { ConversationMessage } from "@/server/domain/tasks/types";

/** The thread a task is about, root first; `highlightLast` marks the message under review. */
export function ConversationView({ messages, highlightLast = false }: { messages: ConversationMessage[]; highlightLast?: boolean }) {
  const t = useTranslations("tasks.conversation");
  return (
    <ol className="flex flex-col gap-3" aria-label={t("title")} data-testid="conversation">
      {messages.map((message, index) => {
        const isAssistant = message.role === "assistant";
        const highlighted = highlightLast && index === messages.length - 1;
        return (
          <li
            key={message.id}
            className={cn(
              "flex gap-3 rounded-lg border p-3",
              isAssistant ? "bg-card" : "bg-muted/60",
              highlighted && "border-primary ring-2 ring-primary/30",
            )}
          >
            <div className="mt-0.5 shrink-0 text-muted-foreground" aria-hidden>
              {isAssistant ? <Bot className="size-5" /> : <UserRound className="size-5" />}
            </div>
            <div className="min-w-0 flex-1">
              <div className="mb-1 flex flex-wrap items-center gap-2 text-xs font-medium text-muted-foreground">
                <span>{isAssistant ? t("assistant") : t("user")}</span>
                {highlighted && <Badge>{t("labelled")}</Badge>}
                {message.synthetic && <Badge variant="secondary">{t("synthetic")}</Badge>}
              </div>
              <Markdown>{message.text}</Markdown>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
