import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/admin/page-header";
import { SearchForm } from "@/components/admin/search-form";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { USER_ROLES, type UserRole } from "@/server/db/schema";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Users" };

type Params = { q?: string; role?: string; authMethod?: string; cursor?: string };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const [t, format, api, params] = await Promise.all([getTranslations("admin"), getFormatter(), serverCaller(), searchParams]);
  const role = USER_ROLES.includes(params.role as UserRole) ? (params.role as UserRole) : undefined;
  const result = await api.admin.users({ q: params.q ?? "", role, authMethod: params.authMethod?.trim() || undefined, cursor: params.cursor || undefined });
  const kept = Object.fromEntries(Object.entries({ q: params.q, role, authMethod: params.authMethod }).filter(([, value]) => value)) as Record<string, string>;
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
      <div className="flex gap-2">
        {params.cursor && <Button asChild variant="outline" size="sm"><a href={`?${new URLSearchParams(kept)}`}>{t("firstPage")}</a></Button>}
        {result.nextCursor && <Button asChild variant="outline" size="sm"><a href={`?${new URLSearchParams({ ...kept, cursor: result.nextCursor })}`} data-testid="pager-next">{t("next")}</a></Button>}
      </div>
    </>
  );
}
