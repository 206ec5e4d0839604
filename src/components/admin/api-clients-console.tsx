"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { EmptyState } from "./page-header";

/** Create a key (shown once, with a copy button), list clients with their use, revoke or trust them. */
export function ApiClientsConsole() {
  const t = useTranslations("admin.apiClients");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.apiClients.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiClients.list.queryKey() });
  const [description, setDescription] = useState("");
  const [frontendType, setFrontendType] = useState("api");
  const [trusted, setTrusted] = useState(false);
  const [copied, setCopied] = useState(false);
  const create = useMutation(trpc.apiClients.create.mutationOptions({ onSuccess: () => { setDescription(""); setCopied(false); void refresh(); } }));
  const update = useMutation(trpc.apiClients.setEnabled.mutationOptions({ onSettled: refresh }));
  const error = create.error ?? update.error ?? list.error;
  return (
    <div className="flex flex-col gap-6">
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border p-4"
        onSubmit={(event) => { event.preventDefault(); create.mutate({ description, frontendType, trusted }); }}
        data-testid="api-client-form"
      >
        <div className="flex flex-col gap-1"><Label htmlFor="client-description">{t("description")}</Label>
          <Input id="client-description" value={description} onChange={(event) => setDescription(event.target.value)} maxLength={256} required className="w-64 max-w-full" /></div>
        <div className="flex flex-col gap-1"><Label htmlFor="client-type">{t("frontendType")}</Label>
          <Input id="client-type" value={frontendType} onChange={(event) => setFrontendType(event.target.value)} maxLength={64} required className="w-32" /></div>
        <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={trusted} onChange={(event) => setTrusted(event.target.checked)} /> {t("trusted")}</label>
        <Button type="submit" disabled={create.isPending || !description.trim()} data-testid="api-client-create">{t("create")}</Button>
      </form>
      {create.data && (
        <Alert data-testid="api-key-once">
          <p className="font-medium">{t("keyOnce")}</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-muted px-2 py-1 text-xs" data-testid="api-key-value">{create.data.key}</code>
            <Button size="sm" variant="outline" onClick={() => { void navigator.clipboard.writeText(create.data.key).then(() => setCopied(true)); }} data-testid="api-key-copy">
              {copied ? <Check aria-hidden /> : <Copy aria-hidden />} {copied ? t("copied") : t("copy")}
            </Button>
          </div>
        </Alert>
      )}
      {error && <Alert variant="destructive">{errorText(error, t("error"))}</Alert>}
      {list.data && <p className="text-sm text-muted-foreground">{t("rateLimit", { attempts: list.data.rateLimit.attempts, window: list.data.rateLimit.window })}</p>}
      {list.isPending ? <div role="status" className="h-32 animate-pulse rounded-lg bg-muted" /> : list.data && list.data.clients.length === 0 ? <EmptyState>{t("empty")}</EmptyState> : (
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm" data-testid="api-clients-table">
            <thead className="bg-muted/50 text-muted-foreground">
              <tr>{["description", "key", "users", "rate", "lastUsed", "state", ""].map((key) => <th key={key} className="p-2 text-start font-normal">{key ? t(`columns.${key}`) : ""}</th>)}</tr>
            </thead>
            <tbody>
              {list.data?.clients.map((client) => (
                <tr key={client.id} className="border-t" data-testid="api-client-row">
                  <td className="p-2">{client.description}<div className="text-xs text-muted-foreground">{client.frontendType} · {format.dateTime(client.createdAt, { dateStyle: "medium" })}</div></td>
                  <td className="p-2 font-mono text-xs">{client.keyPrefix}…</td>
                  <td className="p-2 tabular-nums">{client.users ?? 0}</td>
                  <td className="p-2" data-testid="api-client-rate">
                    {client.rate ? (
                      <div className="flex min-w-28 flex-col gap-1" title={t("rateResets", { time: format.dateTime(client.rate.reset, { timeStyle: "medium" }) })}>
                        <span className="tabular-nums">{t("rateFigure", { used: client.rate.used, limit: client.rate.limit })}</span>
                        <div className="h-1.5 w-full overflow-hidden rounded-full bg-muted" aria-hidden>
                          <div className={cn("h-full rounded-full", client.rate.used >= client.rate.limit ? "bg-destructive" : "bg-primary")} style={{ width: `${Math.min(100, (client.rate.used / client.rate.limit) * 100)}%` }} />
                        </div>
                      </div>
                    ) : <span className="text-muted-foreground">{t("rateUnknown")}</span>}
                  </td>
                  <td className="p-2">{client.lastUsedAt ? format.relativeTime(client.lastUsedAt) : t("never")}</td>
                  <td className="p-2"><div className="flex flex-wrap gap-1">{client.enabled ? <Badge>{t("active")}</Badge> : <Badge variant="destructive">{t("revoked")}</Badge>}{client.trusted && <Badge variant="secondary">{t("trusted")}</Badge>}</div></td>
                  <td className="p-2">
                    <div className="flex flex-wrap gap-1">
                      <Button size="sm" variant={client.enabled ? "destructive" : "outline"} disabled={update.isPending}
                        onClick={() => (!client.enabled || window.confirm(t("confirmRevoke"))) && update.mutate({ id: client.id, enabled: !client.enabled })}>
                        {client.enabled ? t("revoke") : t("restore")}
                      </Button>
                      <Button size="sm" variant="outline" disabled={update.isPending} onClick={() => update.mutate({ id: client.id, trusted: !client.trusted })}>
                        {client.trusted ? t("untrust") : t("trust")}
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
