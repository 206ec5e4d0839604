"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Inbox } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";
import { errorText } from "./error-text";
import { MessageEntry } from "./message-entry";
import { MessageSkeleton } from "./message-skeleton";

export const PAGE_SIZE = 10;

/** A newest-first list of messages with "Load more" (keyset cursor pages of 10). */
export function MessageList({ source, lang, isModerator }: { source: "recent" | "mine"; lang: string; isModerator: boolean }) {
  const t = useTranslations("messages");
  const trpc = useTRPC();
  const pageOptions = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const recent = useInfiniteQuery(trpc.messages.recent.infiniteQueryOptions({ lang, limit: PAGE_SIZE }, { ...pageOptions, enabled: source === "recent" }));
  const mine = useInfiniteQuery(trpc.messages.mine.infiniteQueryOptions({ limit: PAGE_SIZE }, { ...pageOptions, enabled: source === "mine" }));
  const query = source === "recent" ? recent : mine;

  if (query.isPending) return <MessageSkeleton count={4} />;
  if (!query.data) {
    return (
      <Alert variant="destructive" className="flex flex-wrap items-center justify-between gap-2">
        {errorText(query.error, t("errors.generic"))}
        <Button variant="outline" size="sm" onClick={() => void query.refetch()}>{t("retry")}</Button>
      </Alert>
    );
  }
  // A failed "load more" keeps the pages already shown and says so below them.
  const items = query.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed p-8 text-center" data-testid="messages-empty">
        <Inbox className="size-8 text-muted-foreground" aria-hidden />
        <p className="text-sm text-muted-foreground">{t(source === "mine" ? "empty.mine" : "empty.recent")}</p>
        {source === "mine" && (
          <Button asChild size="sm"><Link href="/dashboard">{t("empty.contribute")}</Link></Button>
        )}
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ol className="flex flex-col gap-3" data-testid={`messages-${source}`}>
        {items.map((message) => (
          <li key={message.id}>
            <MessageEntry message={message} isModerator={isModerator} clampLong />
          </li>
        ))}
      </ol>
      <div className="flex flex-col items-center gap-2 py-2" aria-live="polite">
        {query.hasNextPage ? (
          <Button variant="outline" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage} data-testid="load-more">
            {query.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
          </Button>
        ) : (
          <p className="text-xs text-muted-foreground" data-testid="messages-end">{t("end", { count: items.length })}</p>
        )}
        {query.isError && <p role="alert" className="text-sm text-destructive">{errorText(query.error, t("errors.generic"))}</p>}
      </div>
    </div>
  );
}
