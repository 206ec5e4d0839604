"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { TimeFrame } from "@/server/db/schema";
import { useTRPC } from "@/trpc/react";
import { LEADERBOARD_PAGE_SIZE } from "./constants";
import { LeaderboardSkeleton, LeaderboardTable } from "./leaderboard-table";
import { MyStanding } from "./my-standing";
import { PANEL_ID, tabId, TimeFrameTabs } from "./time-frame-tabs";

/**
 * Tabs per time frame, paging and the viewer's own position. The choice is kept in the URL (`?tf=week&page=2`)
 * without a navigation, so a reload or a shared link shows the same board; the previous page stays on screen,
 * dimmed, while the next one loads.
 */
export function LeaderboardView({ initialTimeFrame, initialPage, viewerId, hidden }: {
  initialTimeFrame: TimeFrame;
  initialPage: number;
  viewerId: string;
  hidden: boolean;
}) {
  const t = useTranslations("leaderboard");
  const format = useFormatter();
  const trpc = useTRPC();
  const [timeFrame, setTimeFrame] = useState(initialTimeFrame);
  const [page, setPage] = useState(initialPage);
  const board = useQuery({
    ...trpc.leaderboard.list.queryOptions({ timeFrame, page, pageSize: LEADERBOARD_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const mine = useQuery(trpc.leaderboard.myStats.queryOptions());

  const go = (nextTimeFrame: TimeFrame, nextPage: number) => {
    setTimeFrame(nextTimeFrame);
    setPage(nextPage);
    window.history.replaceState(null, "", `?tf=${nextTimeFrame}${nextPage > 1 ? `&page=${nextPage}` : ""}`);
  };
  const data = board.data;
  const pages = data ? Math.max(1, Math.ceil(data.totalRanked / LEADERBOARD_PAGE_SIZE)) : 1;

  return (
    <div className="flex flex-col gap-6">
      {mine.data && <MyStanding stats={mine.data} rank={data?.timeFrame === timeFrame ? data.viewer?.rank ?? null : null} hidden={hidden} />}
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <TimeFrameTabs value={timeFrame} onChange={(next) => go(next, 1)} />
          {data && (
            <p className="text-sm text-muted-foreground" data-testid="last-updated">
              {data.lastUpdated ? (
                <time dateTime={data.lastUpdated.toISOString()} suppressHydrationWarning>
                  {t("lastUpdated", { when: format.dateTime(data.lastUpdated, { dateStyle: "medium", timeStyle: "short" }) })}
                </time>
              ) : t("notUpdated")}
            </p>
          )}
        </div>
        <Card id={PANEL_ID} role="tabpanel" aria-labelledby={tabId(timeFrame)} aria-busy={board.isFetching} className="overflow-hidden">
          {board.isError && !data ? (
            <Alert variant="destructive" className="m-4">{t("error")}</Alert>
          ) : !data ? (
            <LeaderboardSkeleton rows={8} />
          ) : data.entries.length === 0 ? (
            <div className="flex flex-col items-center gap-1 px-4 py-12 text-center" data-testid="leaderboard-empty">
              <p className="font-medium">{t("empty.title")}</p>
              <p className="text-sm text-muted-foreground">{t("empty.body")}</p>
            </div>
          ) : (
            <div className={board.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
              <LeaderboardTable
                caption={`${t("title")} — ${t(`timeFrames.${timeFrame}`)} — ${t("paging.page", { page, pages })}`}
                entries={data.entries}
                viewerId={viewerId}
                viewerWindow={data.viewer?.window ?? []}
              />
            </div>
          )}
        </Card>
        {data && pages > 1 && (
          <nav aria-label={t("paging.label")} className="flex items-center justify-between gap-3">
            <Button variant="outline" size="sm" onClick={() => go(timeFrame, page - 1)} disabled={page <= 1} data-testid="page-previous">
              <ChevronLeft aria-hidden /> {t("paging.previous")}
            </Button>
            <span className="text-sm text-muted-foreground" aria-live="polite">{t("paging.page", { page, pages })}</span>
            <Button variant="outline" size="sm" onClick={() => go(timeFrame, page + 1)} disabled={page >= pages} data-testid="page-next">
              {t("paging.next")} <ChevronRight aria-hidden />
            </Button>
          </nav>
        )}
      </div>
    </div>
  );
}
