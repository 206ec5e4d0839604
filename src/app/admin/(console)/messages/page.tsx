import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { MessageTable } from "@/components/admin/message-table";
import { PageHeader } from "@/components/admin/page-header";
import { SearchForm } from "@/components/admin/search-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Messages" };

type Tri = "any" | "only" | "none";
type Params = { q?: string; mode?: string; lang?: string; role?: string; deleted?: string; flagged?: string; toxic?: string; synthetic?: string; userId?: string; from?: string; to?: string; cursor?: string };
const tri = (value: string | undefined): Tri => (value === "only" || value === "none" ? value : "any");
const date = (value: string | undefined) => (value && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function MessagesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const [t, api, params] = await Promise.all([getTranslations("admin"), serverCaller(), searchParams]);
  const search = {
    q: params.q ?? "",
    mode: params.mode === "substring" ? ("substring" as const) : ("words" as const),
    lang: params.lang && params.lang.trim().length >= 2 ? params.lang.trim() : undefined,
    role: params.role === "prompter" || params.role === "assistant" ? (params.role as "prompter" | "assistant") : undefined,
    deleted: tri(params.deleted), flagged: tri(params.flagged), toxic: tri(params.toxic), synthetic: tri(params.synthetic),
    userId: params.userId && UUID.test(params.userId) ? params.userId : undefined,
    from: date(params.from), to: date(params.to), cursor: params.cursor, limit: 20,
  };
  const result = await api.admin.messages(search).then((page) => ({ page, error: null }), (error: Error) => ({ page: null, error }));
  const triOptions = (name: string) => [{ value: "any", label: t("any") }, { value: "only", label: t(`messages.only.${name}`) }, { value: "none", label: t(`messages.none.${name}`) }];
  const { cursor: _cursor, ...kept } = params;
  return (
    <>
      <PageHeader title={t("messages.title")} lead={t("messages.lead")} />
      <SearchForm
        testId="messages-search"
        submitLabel={t("search")}
        fields={[
          { kind: "text", name: "q", label: t("messages.query"), value: params.q, placeholder: t("messages.queryPlaceholder") },
          { kind: "select", name: "mode", label: t("messages.mode"), value: search.mode, options: [{ value: "words", label: t("messages.words") }, { value: "substring", label: t("messages.substring") }] },
          { kind: "text", name: "lang", label: t("messages.lang"), value: params.lang, placeholder: "en", className: "w-20" },
          { kind: "select", name: "role", label: t("messages.role"), value: search.role, options: [{ value: "", label: t("any") }, { value: "prompter", label: "prompter" }, { value: "assistant", label: "assistant" }] },
          { kind: "select", name: "deleted", label: t("messages.deleted"), value: search.deleted, options: triOptions("deleted") },
          { kind: "select", name: "flagged", label: t("messages.flagged"), value: search.flagged, options: triOptions("flagged") },
          { kind: "select", name: "toxic", label: t("messages.toxic"), value: search.toxic, options: triOptions("toxic") },
          { kind: "select", name: "synthetic", label: t("messages.synthetic"), value: search.synthetic, options: triOptions("synthetic") },
          { kind: "text", name: "userId", label: t("messages.author"), value: params.userId, placeholder: "uuid", className: "w-72 max-w-full" },
          { kind: "date", name: "from", label: t("messages.from"), value: params.from },
          { kind: "date", name: "to", label: t("messages.to"), value: params.to },
        ]}
      />
      {result.error ? <Alert variant="destructive">{result.error.message}</Alert> : (
        <>
          {result.page.unsearched > 0 && <Alert data-testid="messages-unsearched">{t("messages.unsearched", { count: result.page.unsearched })}</Alert>}
          <MessageTable messages={result.page.items} />
          {result.page.nextCursor && (
            <Button asChild variant="outline" size="sm" className="self-start">
              <Link href={`?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(kept).filter(([, v]) => v)) as Record<string, string>), cursor: result.page.nextCursor })}`}>{t("next")}</Link>
            </Button>
          )}
        </>
      )}
    </>
  );
}
