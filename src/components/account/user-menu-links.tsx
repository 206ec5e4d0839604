"use client";

import { MessageSquareText, Settings } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { menuItemClass } from "@/components/layout/menu-styles";

/** The user menu's "Messages" and "Account" items (rendered inside its DropdownMenu.Content). */
export function UserMenuLinks() {
  const t = useTranslations();
  return (
    <>
      <DropdownMenu.Item asChild className={menuItemClass}>
        <Link href="/messages" data-testid="menu-messages"><MessageSquareText className="size-4" aria-hidden /> {t("messages.nav")}</Link>
      </DropdownMenu.Item>
      <DropdownMenu.Item asChild className={menuItemClass}>
        <Link href="/account" data-testid="menu-account"><Settings className="size-4" aria-hidden /> {t("account.nav")}</Link>
      </DropdownMenu.Item>
    </>
  );
}
