import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/admin/page-header";
import { Pager, SearchForm } from "@/components/admin/search-form";
import { Badge } from "@/components/ui/badge";
import { USER_ROLES, type UserRole } from "@/server/db/schema";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Users" };

type Params = { q?: string; role?: string; authMethod?: string; page?: string };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const [t, format, api, params] = await Promise.all([getTranslations("admin"), getFormatter(), serverCaller(), searchParams]);
  const page = Math.max(0, Number.parseInt(params.page ?? "0", 10) || 0);
  const role = USER_ROLES.includes(params.role as UserRole) ? (params.role as UserRole) : undefined;
  const result = await api.admin.users({ q: params.q ?? "", role, authMethod: params.authMethod?.trim() || undefined, page });
  return (
    <>
      <PageHeader title={t("users.title")} lead={t("users.lead")} />
      <SearchForm
        testId="users-search"
        submitLabel={t("search")}
        fields={[
          { kind: "text", name: "q", label: t("users.query"), value: params.q, placeholder: t("users.queryPlaceholder") },
          { kind: "select", name: "role", label: t("users.role"), value: role, options: [{ value: "", label: t("any") }, ...USER_ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))] },
          { kind: "text", name: "authMethod", label: t("users.authMethod"), value: params.authMethod, placeholder: "discord", className: "w-32" },
        ]}
      />
      {result.items.length === 0 ? <EmptyState>{t("users.empty")}</EmptyState> : (
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm" data-testid="users-table">
            <thead className="bg-muted/50 text-start text-muted-foreground">
              <tr><th className="p-2 text-start">{t("users.name")}</th><th className="p-2 text-start">{t("users.role")}</th><th className="p-2 text-start">{t("users.authMethod")}</th><th className="p-2 text-start">{t("users.lastActive")}</th></tr>
            </thead>
            <tbody>
              {result.items.map((user) => (
                <tr key={user.id} className="border-t">
                  <td className="p-2">
                    <Link href={`/admin/users/${user.id}`} className="font-medium underline-offset-4 hover:underline">{user.displayName}</Link>
                    <div className="font-mono text-xs text-muted-foreground">{user.id.slice(0, 8)}{user.username ? ` · ${user.username}` : ""}</div>
                  </td>
                  <td className="p-2"><Badge variant={user.role === "banned" ? "destructive" : user.role === "general" ? "outline" : "default"}>{t(`roles.${user.role}`)}</Badge>{!user.enabled && <Badge variant="secondary" className="ms-1">{t("users.disabled")}</Badge>}</td>
                  <td className="p-2">{user.authMethod}</td>
                  <td className="p-2 tabular-nums">{format.relativeTime(user.lastActivityDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager params={{ q: params.q, role, authMethod: params.authMethod }} page={page} hasMore={result.hasMore} labels={{ previous: t("previous"), next: t("next") }} />
    </>
  );
}
