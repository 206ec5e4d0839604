import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";

/** "Chat", "Messages", "Leaderboard", "Stats" and "Account" in the header's main navigation (signed-in users; the header decides). */
export async function HeaderLinks() {
  const t = await getTranslations();
  return (
    <>
      <Button asChild variant="ghost" size="sm">
        <Link href="/chat" data-testid="nav-chat">{t("chat.nav")}</Link>
      </Button>
      <Button asChild variant="ghost" size="sm">
        <Link href="/messages" data-testid="nav-messages">{t("messages.nav")}</Link>
      </Button>
      <Button asChild variant="ghost" size="sm">
        <Link href="/leaderboard" data-testid="nav-leaderboard">{t("leaderboard.title")}</Link>
      </Button>
      <Button asChild variant="ghost" size="sm">
        <Link href="/stats" data-testid="nav-stats">{t("stats.title")}</Link>
      </Button>
      <Button asChild variant="ghost" size="sm">
        <Link href="/account" data-testid="nav-account">{t("account.nav")}</Link>
      </Button>
    </>
  );
}
