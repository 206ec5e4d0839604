"use client";

import { Flame } from "lucide-react";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { MyStats } from "@/server/domain/leaderboard/dto";

/** The viewer's level, XP bar (website `XpBar`, spec website §5.7), streak and rank in the selected period. */
export function MyStanding({ stats, rank, hidden }: { stats: MyStats; rank: number | null; hidden: boolean }) {
  const t = useTranslations("leaderboard.standing");
  const span = stats.nextLevelAt === null ? 1 : stats.nextLevelAt - stats.levelStartsAt;
  const progress = stats.nextLevelAt === null ? 100 : Math.round(((stats.totalScore - stats.levelStartsAt) / span) * 100);
  return (
    <Card data-testid="my-standing">
      <CardHeader className="pb-3">
        <CardTitle className="flex flex-wrap items-center gap-2">
          {t("title")}
          <Badge data-testid="my-level">{t("level", { level: stats.level })}</Badge>
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div
          role="progressbar"
          aria-label={t("xp")}
          aria-valuemin={stats.levelStartsAt}
          aria-valuemax={stats.nextLevelAt ?? stats.totalScore}
          aria-valuenow={stats.totalScore}
          className="h-2.5 overflow-hidden rounded-full bg-muted"
        >
          <div className="h-full rounded-full bg-primary transition-[width]" style={{ width: `${progress}%` }} />
        </div>
        <div className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          <span className="font-medium">{t("score", { score: stats.totalScore })}</span>
          <span className="text-muted-foreground" data-testid="points-to-next">
            {stats.pointsToNextLevel === null ? t("maxLevel") : t("toNext", { points: stats.pointsToNextLevel, level: stats.level + 1 })}
          </span>
          <span className="inline-flex items-center gap-1 text-muted-foreground">
            <Flame className="size-4 text-amber-500" aria-hidden />
            {t("streak", { days: stats.streakDays ?? 0 })}
          </span>
          <span className="font-medium" data-testid="my-rank">{rank ? t("rank", { rank }) : t("unranked")}</span>
        </div>
        {hidden && <p className="text-sm text-muted-foreground">{t("hidden")}</p>}
      </CardContent>
    </Card>
  );
}
