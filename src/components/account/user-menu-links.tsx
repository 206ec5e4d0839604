"use client";

import { ChartColumn, MessageSquareText, MessagesSquare, Settings, Trophy } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { menuItemClass } from "@/components/layout/menu-styles";

/** The user menu's "Chat", "Messages", "Leaderboard", "Stats" and "Account" items (rendered inside its DropdownMenu.Content). */
export function UserMenuLinks() {
  const t = useTranslations();
  return (
    <>
      <DropdownMenu.Item asChild className={menuItemClass}>
        <Link href="/chat" data-testid="menu-chat"><MessagesSquare className="size-4" aria-hidden /> {t("chat.nav")}</Link>
      </DropdownMenu.Item>
      <DropdownMenu.Item asChild className={menuItemClass}>
        <Link href="/messages" data-testid="menu-messages"><MessageSquareText className="size-4" aria-hidden /> {t("messages.nav")}</Link>
      </DropdownMenu.Item>
      <DropdownMenu.Item asChild className={menuItemClass}>
        <Link href="/leaderboard" data-testid="menu-leaderboard"><Trophy className="size-4" aria-hidden /> {t("leaderboard.title")}</Link>
      </DropdownMenu.Item>
      <DropdownMenu.Item asChild className={menuItemClass}>
        <Link href="/stats" data-testid="menu-stats"><ChartColumn className="size-4" aria-hidden /> {t("stats.title")}</Link>
      </DropdownMenu.Item>
      <DropdownMenu.Item asChild className={menuItemClass}>
        <Link href="/account" data-testid="menu-account"><Settings className="size-4" aria-hidden /> {t("account.nav")}</Link>
      </DropdownMenu.Item>
    </>
  );
}
