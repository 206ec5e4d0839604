import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/admin/page-header";
import { QueueConsole } from "@/components/admin/queue-console";
import { MODERATION_QUEUE_KINDS } from "@/server/db/schema";

export const metadata: Metadata = { title: "Moderation queue" };

export default async function QueuePage({ searchParams }: { searchParams: Promise<{ kind?: string }> }) {
  const [t, { kind }] = await Promise.all([getTranslations("admin.queue"), searchParams]);
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <QueueConsole kinds={MODERATION_QUEUE_KINDS} initialKind={kind} />
    </>
  );
}
