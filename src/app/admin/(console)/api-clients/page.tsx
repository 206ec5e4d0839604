import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ApiClientsConsole } from "@/components/admin/api-clients-console";
import { PageHeader } from "@/components/admin/page-header";
import { requireConsoleUser } from "../../guard";

export const metadata: Metadata = { title: "API clients" };

/** Admins only: the keys external clients (bots, scripts) call the API with. */
export default async function ApiClientsPage() {
  await requireConsoleUser("/admin/api-clients");
  const t = await getTranslations("admin.apiClients");
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <ApiClientsConsole />
    </>
  );
}
