"use client";

import { useQuery } from "@tanstack/react-query";
import { Trophy } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { MyStanding } from "@/components/leaderboard/my-standing";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useTRPC } from "@/trpc/react";

const TOP_COUNT = 5;

/** The contributor's level, XP bar and streak, and today's top contributors (refreshed by the leaderboard job). */
export function DashboardStanding() {
  const t = useTranslations("dashboard.topToday");
  const trpc = useTRPC();
  const myStats = useQuery(trpc.leaderboard.myStats.queryOptions());
  const today = useQuery(trpc.leaderboard.list.queryOptions({ timeFrame: "day", pageSize: TOP_COUNT, windowSize: 1 }));
  const totalRank = myStats.data?.timeFrames.find((frame) => frame.timeFrame === "total")?.rank ?? null;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {myStats.data ? (
        <MyStanding stats={myStats.data} rank={totalRank} hidden={false} />
      ) : (
        <div className="h-36 animate-pulse rounded-xl bg-muted" aria-hidden />
      )}
      <Card data-testid="top-today">
        <CardHeader className="flex-row items-center justify-between gap-2 pb-3">
          <CardTitle className="flex items-center gap-2">
            <Trophy className="size-5 text-amber-500" aria-hidden /> {t("title")}
          </CardTitle>
          <Link href="/leaderboard" className="text-sm text-primary hover:underline">{t("all")}</Link>
        </CardHeader>
        <CardContent>
          {today.isPending ? (
            <div className="h-24 animate-pulse rounded bg-muted" aria-hidden />
          ) : !today.data || today.data.entries.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("empty")}</p>
          ) : (
            <ol className="flex flex-col gap-1.5 text-sm">
              {today.data.entries.map((entry) => (
                <li key={entry.userId} className="flex items-center gap-3">
                  <span className="w-6 text-end font-semibold text-muted-foreground">{entry.rank}</span>
                  <span className="min-w-0 flex-1 truncate">{entry.displayName}</span>
                  <span className="tabular-nums text-muted-foreground">{t("points", { score: entry.leaderScore })}</span>
                </li>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
