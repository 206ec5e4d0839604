import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { JournalList } from "@/components/admin/journal-list";
import { MessageTable } from "@/components/admin/message-table";
import { PageHeader } from "@/components/admin/page-header";
import { UserActions } from "@/components/admin/user-actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { serverCaller } from "@/trpc/server";
import { requireConsoleUser } from "../../../guard";

export const metadata: Metadata = { title: "User" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function UserPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ cursor?: string }> }) {
  const [{ id }, { cursor }] = await Promise.all([params, searchParams]);
  if (!UUID.test(id)) notFound();
  const [t, format, api, viewer] = await Promise.all([getTranslations("admin"), getFormatter(), serverCaller(), requireConsoleUser()]);
  const detail = await api.admin.userDetail({ userId: id }).catch(() => null);
  if (!detail) notFound();
  const [messages, journal] = await Promise.all([
    api.admin.messages({ userId: id, limit: 20, cursor }),
    api.admin.journal({ userId: id, limit: 20 }),
  ]);
  const { user } = detail;
  return (
    <>
      <PageHeader title={user.displayName} lead={`${user.authMethod}${user.username ? ` · ${user.username}` : ""} · ${user.id}`}>
        <div className="flex flex-wrap gap-2">
          <Badge variant={user.role === "banned" ? "destructive" : "default"} data-testid="user-role">{t(`roles.${user.role}`)}</Badge>
          {!user.enabled && <Badge variant="secondary">{t("users.disabled")}</Badge>}
          {user.deleted && <Badge variant="secondary">{t("userPage.deleted")}</Badge>}
        </div>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("userPage.stats")}</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            <table className="w-full">
              <thead className="text-muted-foreground"><tr><th className="text-start">{t("userPage.timeFrame")}</th><th className="text-start">{t("userPage.score")}</th><th className="text-start">{t("userPage.rank")}</th><th className="text-start">{t("userPage.trollScore")}</th></tr></thead>
              <tbody>
                {detail.stats.map((frame) => (
                  <tr key={frame.timeFrame} className="border-t"><td className="py-1">{t(`timeFrames.${frame.timeFrame}`)}</td><td className="tabular-nums">{frame.leaderScore}</td><td className="tabular-nums">{frame.rank ?? "—"}</td><td className="tabular-nums">{frame.trollScore}</td></tr>
                ))}
              </tbody>
            </table>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt className="text-muted-foreground">{t("userPage.streak")}</dt><dd>{detail.streakDays ?? 0}</dd>
              <dt className="text-muted-foreground">{t("userPage.reportsAgainst")}</dt><dd>{detail.reportsAgainst}</dd>
              <dt className="text-muted-foreground">{t("userPage.joined")}</dt><dd>{format.dateTime(user.createdAt, { dateStyle: "medium" })}</dd>
              <dt className="text-muted-foreground">{t("users.lastActive")}</dt><dd>{format.relativeTime(user.lastActivityDate)}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("userPage.actions")}</CardTitle></CardHeader>
          <CardContent>
            <UserActions
              userId={user.id}
              displayName={user.displayName}
              seen={{ role: user.role, enabled: user.enabled, notes: user.notes, showOnLeaderboard: user.showOnLeaderboard }}
              viewerIsAdmin={viewer.role === "admin"}
              isSelf={viewer.id === user.id}
            />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader><CardTitle>{t("userPage.tasks")}</CardTitle></CardHeader>
        <CardContent>
          {detail.tasks.length === 0 ? <p className="text-sm text-muted-foreground">{t("userPage.noTasks")}</p> : (
            <ul className="flex flex-col gap-1 text-sm">
              {detail.tasks.map((task) => (
                <li key={task.id} className="flex flex-wrap gap-2"><span className="tabular-nums text-muted-foreground">{format.dateTime(task.createdDate, { dateStyle: "short", timeStyle: "short" })}</span><span>{task.type.replaceAll("_", " ")}</span><span className="text-muted-foreground">{task.done ? t("userPage.done") : task.skipped ? t("userPage.skipped") : t("userPage.open")}</span></li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-semibold">{t("userPage.messages")}</h2>
        <MessageTable messages={messages.items} />
        {messages.nextCursor && <Button asChild variant="outline" size="sm" className="self-start"><Link href={`?cursor=${encodeURIComponent(messages.nextCursor)}`}>{t("next")}</Link></Button>}
      </section>
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-semibold">{t("userPage.journal")}</h2>
        <JournalList entries={journal.items} />
      </section>
    </>
  );
}
