import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/admin/page-header";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Trollboard" };

const FRAMES = ["day", "week", "month", "total"] as const;
type Frame = (typeof FRAMES)[number];

export default async function TrollboardPage({ searchParams }: { searchParams: Promise<{ tf?: string; banned?: string; page?: string }> }) {
  const [t, format, api, params] = await Promise.all([getTranslations("admin"), getFormatter(), serverCaller(), searchParams]);
  const timeFrame: Frame = FRAMES.includes(params.tf as Frame) ? (params.tf as Frame) : "week";
  const banned = params.banned === "1";
  const page = Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
  const board = await api.leaderboard.trollboard({ timeFrame, enabled: !banned, page, pageSize: 20 });
  const link = (changes: Record<string, string>) => `?${new URLSearchParams({ tf: timeFrame, ...(banned ? { banned: "1" } : {}), ...changes })}`;
  return (
    <>
      <PageHeader title={t("trollboard.title")} lead={board.lastUpdated ? t("trollboard.updated", { when: format.relativeTime(board.lastUpdated) }) : t("trollboard.lead")} />
      <div className="flex flex-wrap gap-2">
        {FRAMES.map((frame) => (
          <Button key={frame} asChild size="sm" variant={frame === timeFrame ? "default" : "outline"}><Link href={link({ tf: frame })} aria-current={frame === timeFrame ? "page" : undefined}>{t(`timeFrames.${frame}`)}</Link></Button>
        ))}
        <Button asChild size="sm" variant="ghost" className="ms-auto"><Link href={banned ? `?tf=${timeFrame}` : `?tf=${timeFrame}&banned=1`}>{banned ? t("trollboard.showActive") : t("trollboard.showBanned")}</Link></Button>
      </div>
      {board.entries.length === 0 ? <EmptyState>{t("trollboard.empty")}</EmptyState> : (
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm" data-testid="trollboard-table">
            <thead className="bg-muted/50 text-muted-foreground">
              <tr>{["rank", "user", "score", "redFlags", "downvotes", "upvotes", "spamPrompts"].map((key) => <th key={key} className="p-2 text-start font-normal">{t(`trollboard.${key}`)}</th>)}</tr>
            </thead>
            <tbody>
              {board.entries.map((entry) => (
                <tr key={entry.userId} className={cn("border-t", !entry.enabled && "opacity-70")}>
                  <td className="p-2 tabular-nums">{entry.rank}</td>
                  <td className="p-2"><Link className="underline-offset-4 hover:underline" href={`/admin/users/${entry.userId}`}>{entry.displayName}</Link></td>
                  <td className="p-2 font-semibold tabular-nums">{entry.trollScore}</td>
                  <td className="p-2 tabular-nums">{entry.redFlags}</td>
                  <td className="p-2 tabular-nums">{entry.downvotes}</td>
                  <td className="p-2 tabular-nums">{entry.upvotes}</td>
                  <td className="p-2 tabular-nums">{entry.spamPrompts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex gap-2">
        {page > 1 && <Button asChild variant="outline" size="sm"><Link href={link({ page: String(page - 1) })}>{t("previous")}</Link></Button>}
        {page * board.pageSize < board.total && <Button asChild variant="outline" size="sm"><Link href={link({ page: String(page + 1) })}>{t("next")}</Link></Button>}
      </div>
    </>
  );
}
