import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { JournalList } from "@/components/admin/journal-list";
import { PageHeader } from "@/components/admin/page-header";
import { SearchForm } from "@/components/admin/search-form";
import { Button } from "@/components/ui/button";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Journal" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENTS = [
  "moderation_delete_message", "moderation_undelete_message", "moderation_edit_message", "moderation_halt_tree", "moderation_unhalt_tree",
  "moderation_purge_tree", "moderation_purge_user_messages", "moderation_update_user", "moderation_delete_user", "moderation_flag_processed",
  "moderation_queue_resolve", "admin_create_api_client", "admin_update_api_client",
];

type Params = { actorId?: string; userId?: string; messageId?: string; eventType?: string; cursor?: string };

export default async function JournalPage({ searchParams }: { searchParams: Promise<Params> }) {
  const [t, api, params] = await Promise.all([getTranslations("admin"), serverCaller(), searchParams]);
  const id = (value: string | undefined) => (value && UUID.test(value.trim()) ? value.trim() : undefined);
  const eventType = EVENTS.includes(params.eventType ?? "") ? params.eventType : undefined;
  const filter = { actorId: id(params.actorId), userId: id(params.userId), messageId: id(params.messageId), eventType };
  const page = await api.admin.journal({ ...filter, cursor: params.cursor, limit: 50 });
  return (
    <>
      <PageHeader title={t("journal.title")} lead={t("journal.lead")} />
      <SearchForm
        submitLabel={t("search")}
        fields={[
          { kind: "select", name: "eventType", label: t("journal.eventType"), value: eventType, options: [{ value: "", label: t("any") }, ...EVENTS.map((value) => ({ value, label: value }))] },
          { kind: "text", name: "actorId", label: t("journal.actor"), value: params.actorId, placeholder: "uuid", className: "w-72 max-w-full" },
          { kind: "text", name: "userId", label: t("journal.subject"), value: params.userId, placeholder: "uuid", className: "w-72 max-w-full" },
          { kind: "text", name: "messageId", label: t("journal.message"), value: params.messageId, placeholder: "uuid", className: "w-72 max-w-full" },
        ]}
      />
      <JournalList entries={page.items} />
      {page.nextCursor && (
        <Button asChild variant="outline" size="sm" className="self-start">
          <Link href={`?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as Record<string, string>), cursor: page.nextCursor })}`}>{t("next")}</Link>
        </Button>
      )}
    </>
  );
}
