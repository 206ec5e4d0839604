import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/admin/page-header";
import { TreeActions } from "@/components/admin/tree-actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Tree" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function TreePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const [t, format, api] = await Promise.all([getTranslations("admin.trees"), getFormatter(), serverCaller()]);
  const history = await api.admin.treeHistory({ treeId: id }).catch(() => null);
  if (!history) notFound();
  const { state } = history;
  return (
    <>
      <PageHeader title={t("treeTitle")} lead={id}>
        <Button asChild variant="outline"><Link href={`/messages/${id}`}>{t("viewTree")}</Link></Button>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("now")}</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            <div className="flex flex-wrap gap-2"><Badge data-testid="tree-state">{state.state.replaceAll("_", " ")}</Badge><Badge variant="outline">{state.lang}</Badge>{state.active && <Badge variant="secondary">{t("active")}</Badge>}</div>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt className="text-muted-foreground">{t("goal")}</dt><dd>{state.goalTreeSize}</dd>
              <dt className="text-muted-foreground">{t("maxDepth")}</dt><dd>{state.maxDepth}</dd>
              <dt className="text-muted-foreground">{t("maxChildren")}</dt><dd>{state.maxChildrenCount}</dd>
              <dt className="text-muted-foreground">{t("origin")}</dt><dd>{state.origin ?? "—"}</dd>
            </dl>
            <TreeActions treeId={id} active={state.active} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("history")}</CardTitle></CardHeader>
          <CardContent>
            <ol className="flex flex-col gap-1 text-sm" data-testid="tree-history">
              {history.changes.map((change, index) => (
                <li key={index} className="flex flex-wrap gap-2">
                  <span className="tabular-nums text-muted-foreground">{format.dateTime(change.at, { dateStyle: "short", timeStyle: "medium" })}</span>
                  <span>{change.from ? `${change.from.replaceAll("_", " ")} → ` : ""}<strong>{change.to.replaceAll("_", " ")}</strong></span>
                </li>
              ))}
            </ol>
            {history.actions.length > 0 && (
              <>
                <h3 className="mt-4 text-sm font-semibold">{t("actions")}</h3>
                <ul className="flex flex-col gap-1 text-sm">
                  {history.actions.map((action, index) => (
                    <li key={index} className="flex flex-wrap gap-2"><span className="tabular-nums text-muted-foreground">{format.dateTime(action.at, { dateStyle: "short", timeStyle: "short" })}</span><span className="font-mono text-xs">{action.eventType}</span>{action.actorId && <Link className="underline-offset-4 hover:underline" href={`/admin/users/${action.actorId}`}>{t("by")}</Link>}</li>
                  ))}
                </ul>
              </>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
