import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations("common");
  return (
    <div role="status" aria-live="polite" className="flex animate-pulse flex-col gap-4">
      <span className="sr-only">{t("loading")}</span>
      <div className="h-8 w-64 rounded bg-muted" />
      <div className="h-4 w-96 max-w-full rounded bg-muted" />
      <div className="h-40 w-full max-w-xl rounded-xl bg-muted" />
    </div>
  );
}
