"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useState } from "react";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { EmptyState } from "./page-header";

type QueueItem = inferRouterOutputs<AppRouter>["admin"]["queue"]["items"][number];
type Action = "delete" | "undelete" | "halt" | "unhalt" | "ban" | "reviewed" | "dismiss";
const KINDS = ["flagged", "rejected", "skipped", "auto_moderated", "split_reviews"] as const;

/** Keyboard shortcuts of the queue (shown on the buttons). */
const SHORTCUTS: Record<string, Action | "next" | "down" | "up"> = {
  d: "delete", u: "undelete", h: "halt", g: "unhalt", b: "ban", r: "reviewed", x: "dismiss", n: "next", j: "down", k: "up",
};
const ACTIONS: { action: Action; key: string; variant: "destructive" | "outline" | "default" | "secondary" }[] = [
  { action: "delete", key: "d", variant: "destructive" },
  { action: "undelete", key: "u", variant: "outline" },
  { action: "halt", key: "h", variant: "outline" },
  { action: "unhalt", key: "g", variant: "outline" },
  { action: "ban", key: "b", variant: "destructive" },
  { action: "reviewed", key: "r", variant: "default" },
  { action: "dismiss", key: "x", variant: "secondary" },
];

function ItemDetail({ item }: { item: QueueItem }) {
  const t = useTranslations("admin.queue");
  const format = useFormatter();
  return (
    <div className="flex flex-col gap-3" data-testid="queue-detail">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge>{t(`kinds.${item.kind}`)}</Badge>
        <Badge variant="outline">{item.lang}</Badge>
        {item.treeState && <Badge variant="secondary">{item.treeState.replaceAll("_", " ")}</Badge>}
        <span className="text-muted-foreground">{format.relativeTime(item.detectedAt)}</span>
        {item.claim && <span className="text-muted-foreground">{item.claim.mine ? t("claimedByYou") : t("claimedBy", { name: item.claim.name ?? "?" })}</span>}
      </div>
      {item.message === null && <Alert>{t("purged")}</Alert>}
      <ol className="flex flex-col gap-2">
        {item.conversation.map((message) => (
          <li
            key={message.id}
            className={cn("rounded-lg border p-3 text-sm", message.id === item.message?.id ? "border-primary bg-accent/40" : "opacity-80", message.deleted && "line-through decoration-destructive/60")}
          >
            <div className="mb-1 flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
              <span className="font-medium uppercase">{message.role}</span>
              {message.authorId ? <Link className="underline-offset-4 hover:underline" href={`/admin/users/${message.authorId}`}>{message.authorName ?? "—"}</Link> : <span>{message.authorName ?? "—"}</span>}
              {message.deleted && <Badge variant="destructive">{t("deleted")}</Badge>}
              {message.reviewResult === false && <Badge variant="outline">{t("rejected")}</Badge>}
              {Object.entries(message.emojis).map(([emoji, count]) => <span key={emoji}>{emoji} {count}</span>)}
              <Link className="ms-auto underline-offset-4 hover:underline" href={`/messages/${message.id}`}>{t("open")}</Link>
            </div>
            <p className="whitespace-pre-wrap break-words">{message.text}</p>
          </li>
        ))}
      </ol>
      {item.reports.length > 0 && (
        <div className="flex flex-col gap-1">
          <h3 className="text-sm font-semibold">{t("reports")}</h3>
          <ul className="flex flex-col gap-1 text-sm">
            {item.reports.map((report, index) => (
              <li key={index} className="rounded border p-2">
                <span className="font-medium">{report.reporterName ?? "—"}</span>{" "}
                <span className="text-muted-foreground">{Object.entries(report.labels).map(([label, value]) => `${label}=${value}`).join(", ")}</span>
                {report.text && <p className="whitespace-pre-wrap">{report.text}</p>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {item.toxicity.length > 0 && (
        <p className="text-sm"><span className="font-semibold">{t("toxicity")}</span>{" "}
          {item.toxicity.map((score) => `${score.label} ${format.number(score.score, { maximumFractionDigits: 2 })}`).join(" · ")}</p>
      )}
    </div>
  );
}

/** The live moderation queue: filters, a list, the selected item in context, one-key actions and claims. */
export function QueueConsole({ initialKind }: { initialKind?: string }) {
  const t = useTranslations("admin.queue");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<string>(KINDS.includes(initialKind as never) ? initialKind! : "");
  const [lang, setLang] = useState("");
  const [order, setOrder] = useState<"oldest" | "newest">("oldest");
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const filter = { kind: (kind || undefined) as (typeof KINDS)[number] | undefined, lang: lang.trim().length >= 2 ? lang.trim() : undefined, order };
  const list = useQuery(trpc.admin.queue.queryOptions({ ...filter, limit: 50 }));
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const selected = items.find((item) => item.id === selectedId) ?? null;
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: trpc.admin.queue.queryKey() }), [queryClient, trpc]);
  const claimNext = useMutation(trpc.admin.claimNext.mutationOptions({
    onSuccess: async (item) => { setSelectedId(item?.id ?? null); await refresh(); },
  }));
  const act = useMutation(trpc.admin.act.mutationOptions({ onSettled: refresh }));
  const error = claimNext.error ?? act.error;

  const run = useCallback((action: Action) => {
    if (!selected || act.isPending) return;
    if (action === "ban" && !window.confirm(t("confirmBan"))) return;
    act.mutate({ itemId: selected.id, version: selected.version, action }, {
      onSuccess: (item) => { if (item.resolution) setSelectedId(items.find((other) => other.id !== item.id && !other.claim)?.id ?? null); },
    });
  }, [act, items, selected, t]);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement;
      if (event.metaKey || event.ctrlKey || event.altKey || target.closest("input, textarea, select, [contenteditable]")) return;
      const command = SHORTCUTS[event.key];
      if (!command) return;
      event.preventDefault();
      if (command === "next") claimNext.mutate(filter);
      else if (command === "down" || command === "up") {
        const index = items.findIndex((item) => item.id === selectedId);
        const next = items[Math.min(Math.max(index + (command === "down" ? 1 : -1), 0), items.length - 1)];
        if (next) setSelectedId(next.id);
      } else run(command);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <div className="flex flex-col gap-4">
      <form className="flex flex-wrap items-end gap-3" onSubmit={(event) => event.preventDefault()} aria-label={t("filters")}>
        <div className="flex flex-col gap-1">
          <Label htmlFor="queue-kind">{t("kind")}</Label>
          <NativeSelect id="queue-kind" value={kind} onChange={(event) => setKind(event.target.value)} data-testid="queue-kind">
            <option value="">{t("allKinds")}</option>
            {KINDS.map((value) => <option key={value} value={value}>{t(`kinds.${value}`)}</option>)}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="queue-lang">{t("lang")}</Label>
          <Input id="queue-lang" value={lang} onChange={(event) => setLang(event.target.value)} placeholder="en" className="w-24" maxLength={32} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="queue-order">{t("order")}</Label>
          <NativeSelect id="queue-order" value={order} onChange={(event) => setOrder(event.target.value as "oldest" | "newest")}>
            <option value="oldest">{t("oldestFirst")}</option>
            <option value="newest">{t("newestFirst")}</option>
          </NativeSelect>
        </div>
        <Button type="button" onClick={() => claimNext.mutate(filter)} disabled={claimNext.isPending} data-testid="queue-claim-next">
          {t("claimNext")} <kbd className="ms-1 rounded border px-1 text-xs">n</kbd>
        </Button>
      </form>
      <p className="text-xs text-muted-foreground">{t("shortcuts")}</p>
      {error && <Alert variant="destructive" data-testid="queue-error">{errorText(error, t("error"))}</Alert>}
      {list.isError && <Alert variant="destructive">{errorText(list.error, t("error"))}</Alert>}
      {claimNext.isSuccess && claimNext.data === null && <Alert>{t("nothingToClaim")}</Alert>}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,20rem)_minmax(0,1fr)]">
        <div className="flex flex-col gap-2" data-testid="queue-list">
          {list.isPending ? (
            <div role="status" className="h-40 animate-pulse rounded-lg bg-muted"><span className="sr-only">{t("loading")}</span></div>
          ) : items.length === 0 ? (
            <EmptyState>{t("empty")}</EmptyState>
          ) : (
            items.map((item) => (
              <button
                key={item.id}
                type="button"
                onClick={() => setSelectedId(item.id)}
                aria-pressed={item.id === selectedId}
                data-testid="queue-item"
                className={cn("flex flex-col gap-1 rounded-lg border p-3 text-start text-sm hover:bg-accent", item.id === selectedId && "border-primary bg-accent")}
              >
                <span className="flex flex-wrap items-center gap-2">
                  <Badge variant="outline">{t(`kinds.${item.kind}`)}</Badge>
                  <span className="text-xs text-muted-foreground">{item.lang}</span>
                  {item.claim && <span className="text-xs text-muted-foreground">{item.claim.mine ? t("claimedByYou") : t("claimedBy", { name: item.claim.name ?? "?" })}</span>}
                </span>
                <span className="line-clamp-2 break-words">{item.message?.text ?? t("purged")}</span>
              </button>
            ))
          )}
        </div>
        <div className="flex flex-col gap-3 rounded-lg border p-4">
          {selected ? (
            <>
              <div className="flex flex-wrap gap-2" role="toolbar" aria-label={t("actions")}>
                {ACTIONS.map(({ action, key, variant }) => (
                  <Button key={action} size="sm" variant={variant} onClick={() => run(action)} disabled={act.isPending} data-testid={`queue-action-${action}`} aria-keyshortcuts={key}>
                    {t(`action.${action}`)} <kbd className="ms-1 rounded border px-1 text-xs opacity-80">{key}</kbd>
                  </Button>
                ))}
              </div>
              <ItemDetail item={selected} />
            </>
          ) : (
            <p className="text-sm text-muted-foreground">{t("selectHint")}</p>
          )}
        </div>
      </div>
    </div>
  );
}
