import { getTranslations } from "next-intl/server";

export default async function LeaderboardLoading() {
  const t = await getTranslations("common");
  return (
    <div role="status" aria-live="polite" className="flex animate-pulse flex-col gap-6">
      <span className="sr-only">{t("loading")}</span>
      <div className="h-9 w-56 rounded bg-muted" />
      <div className="h-28 rounded-xl bg-muted" />
      <div className="h-9 w-80 max-w-full rounded-lg bg-muted" />
      <div className="h-96 rounded-xl bg-muted" />
    </div>
  );
}
