import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LEADERBOARD_PAGE_SIZE } from "@/components/leaderboard/constants";
import { LeaderboardView } from "@/components/leaderboard/leaderboard-view";
import { TIME_FRAMES, type TimeFrame } from "@/server/db/schema";
import { requireUser } from "@/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("leaderboard") };
}

type SearchParams = Promise<{ tf?: string | string[]; page?: string | string[] }>;

export default async function LeaderboardPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/leaderboard");
  const params = await searchParams;
  const tf = String(params.tf ?? "day");
  const timeFrame: TimeFrame = (TIME_FRAMES as readonly string[]).includes(tf) ? (tf as TimeFrame) : "day";
  const page = Math.min(10_000, Math.max(1, Number.parseInt(String(params.page ?? "1"), 10) || 1));
  // Awaited (not streamed), so the server renders the same board the client hydrates with.
  const queryClient = getQueryClient();
  const [t] = await Promise.all([
    getTranslations("leaderboard"),
    queryClient.prefetchQuery(trpc.leaderboard.list.queryOptions({ timeFrame, page, pageSize: LEADERBOARD_PAGE_SIZE })),
    queryClient.prefetchQuery(trpc.leaderboard.myStats.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <div className="flex flex-col gap-6">
        <div className="flex flex-col gap-1">
          <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
          <p className="text-muted-foreground">{t("lead")}</p>
        </div>
        <LeaderboardView initialTimeFrame={timeFrame} initialPage={page} viewerId={user.id} hidden={!user.showOnLeaderboard} />
      </div>
    </HydrateClient>
  );
}
