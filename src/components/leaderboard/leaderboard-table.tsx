"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import type { LeaderboardEntry } from "@/server/domain/leaderboard/dto";

function Row({ entry, isViewer, you }: { entry: LeaderboardEntry; isViewer: boolean; you: string }) {
  return (
    <tr className={cn("border-b last:border-0", isViewer && "bg-primary/10")} data-testid={isViewer ? "viewer-row" : "leaderboard-row"}>
      <td className="py-2.5 pe-3 ps-4 font-medium tabular-nums">{entry.rank}</td>
      <th scope="row" className="py-2.5 pe-3 text-left font-normal">
        <span className="flex min-w-0 items-center gap-2">
          <span aria-hidden className="flex size-7 shrink-0 items-center justify-center rounded-full bg-secondary text-xs font-semibold text-secondary-foreground">
            {entry.displayName.slice(0, 1).toUpperCase()}
          </span>
          <span className="truncate">{entry.displayName}</span>
          {isViewer && <Badge>{you}</Badge>}
        </span>
      </th>
      <td className="py-2.5 pe-4 text-right font-semibold tabular-nums">{entry.leaderScore}</td>
      <td className="hidden py-2.5 pe-4 text-right tabular-nums sm:table-cell">{entry.prompts}</td>
      <td className="hidden py-2.5 pe-4 text-right tabular-nums sm:table-cell">{entry.repliesAssistant + entry.repliesPrompter}</td>
      <td className="hidden py-2.5 pe-4 text-right tabular-nums md:table-cell">{entry.labelsFull + entry.labelsSimple}</td>
      <td className="hidden py-2.5 pe-4 text-right tabular-nums md:table-cell">{entry.rankingsTotal}</td>
    </tr>
  );
}

/**
 * The ranked rows of one page; when the viewer is not on it, a gap row and the rows around their own rank follow
 * (website /leaderboard). Phones show rank, name and score; wider screens add the counters.
 */
export function LeaderboardTable({ caption, entries, viewerId, viewerWindow }: {
  caption: string;
  entries: LeaderboardEntry[];
  viewerId: string;
  viewerWindow: LeaderboardEntry[];
}) {
  const t = useTranslations("leaderboard");
  const shown = new Set(entries.map((entry) => entry.rank));
  const extra = viewerWindow.filter((entry) => !shown.has(entry.rank));
  const header = "py-2 pe-4 text-right font-medium";
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b text-muted-foreground">
          <tr>
            <th scope="col" className="w-16 py-2 pe-3 ps-4 text-left font-medium">{t("columns.rank")}</th>
            <th scope="col" className="py-2 pe-3 text-left font-medium">{t("columns.user")}</th>
            <th scope="col" className={header}>{t("columns.score")}</th>
            <th scope="col" className={cn(header, "hidden sm:table-cell")}>{t("columns.prompts")}</th>
            <th scope="col" className={cn(header, "hidden sm:table-cell")}>{t("columns.replies")}</th>
            <th scope="col" className={cn(header, "hidden md:table-cell")}>{t("columns.labels")}</th>
            <th scope="col" className={cn(header, "hidden md:table-cell")}>{t("columns.rankings")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => <Row key={entry.userId} entry={entry} isViewer={entry.userId === viewerId} you={t("you")} />)}
          {extra.length > 0 && (
            <>
              <tr aria-hidden className="border-b">
                <td colSpan={7} className="py-1 text-center text-muted-foreground">⋯</td>
              </tr>
              <tr className="sr-only">
                <td colSpan={7}>{t("gap")}</td>
              </tr>
              {extra.map((entry) => <Row key={entry.userId} entry={entry} isViewer={entry.userId === viewerId} you={t("you")} />)}
            </>
          )}
        </tbody>
      </table>
    </div>
  );
}

export function LeaderboardSkeleton({ rows }: { rows: number }) {
  return (
    <div className="flex animate-pulse flex-col gap-3 p-4" aria-hidden>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-3">
          <div className="h-4 w-6 rounded bg-muted" />
          <div className="size-7 rounded-full bg-muted" />
          <div className="h-4 flex-1 rounded bg-muted" />
          <div className="h-4 w-10 rounded bg-muted" />
        </div>
      ))}
    </div>
  );
}
