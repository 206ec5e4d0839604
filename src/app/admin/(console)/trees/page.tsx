import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/admin/page-header";
import { Pager, SearchForm } from "@/components/admin/search-form";
import { TreeCountsTable } from "@/components/admin/tree-counts";
import { Badge } from "@/components/ui/badge";
import { TREE_STATES, type TreeState } from "@/server/db/schema";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Trees" };

export default async function TreesPage({ searchParams }: { searchParams: Promise<{ state?: string; lang?: string; page?: string }> }) {
  const [t, format, api, params] = await Promise.all([getTranslations("admin"), getFormatter(), serverCaller(), searchParams]);
  const state = TREE_STATES.includes(params.state as TreeState) ? (params.state as TreeState) : undefined;
  const lang = params.lang && params.lang.trim().length >= 2 ? params.lang.trim() : undefined;
  const page = Math.max(0, Number.parseInt(params.page ?? "0", 10) || 0);
  const [counts, trees] = await Promise.all([api.admin.treeCounts(), api.admin.trees({ state, lang, page })]);
  return (
    <>
      <PageHeader title={t("trees.title")} lead={t("trees.lead")} />
      <TreeCountsTable counts={counts} />
      <SearchForm
        submitLabel={t("search")}
        fields={[
          { kind: "select", name: "state", label: t("trees.state"), value: state, options: [{ value: "", label: t("any") }, ...TREE_STATES.map((value) => ({ value, label: value.replaceAll("_", " ") }))] },
          { kind: "text", name: "lang", label: t("messages.lang"), value: params.lang, placeholder: "en", className: "w-20" },
        ]}
      />
      {trees.items.length === 0 ? <EmptyState>{t("trees.empty")}</EmptyState> : (
        <ul className="flex flex-col divide-y rounded-lg border" data-testid="trees-list">
          {trees.items.map((tree) => (
            <li key={tree.id} className="flex flex-col gap-1 p-3 text-sm">
              <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                <Badge variant={tree.active ? "default" : "outline"}>{tree.state.replaceAll("_", " ")}</Badge>
                <span>{tree.lang}</span>
                <span>{t("trees.size", { count: tree.messageCount, goal: tree.goalTreeSize })}</span>
                <span className="tabular-nums">{format.dateTime(tree.createdDate, { dateStyle: "short" })}</span>
                <Link href={`/admin/trees/${tree.id}`} className="ms-auto underline-offset-4 hover:underline">{t("trees.open")}</Link>
              </div>
              <p className="line-clamp-2 break-words">{tree.prompt}</p>
            </li>
          ))}
        </ul>
      )}
      <Pager params={{ state, lang }} page={page} hasMore={trees.hasMore} labels={{ previous: t("previous"), next: t("next") }} />
    </>
  );
}
