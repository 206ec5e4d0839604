"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { menuItemClass } from "@/components/layout/menu-styles";
import { NAV_ITEMS } from "./nav-items";

/** The main destinations as user-menu items (rendered inside its DropdownMenu.Content). */
export function UserMenuLinks() {
  const t = useTranslations();
  return (
    <>
      {NAV_ITEMS.map(({ href, labelKey, id, icon: Icon }) => (
        <DropdownMenu.Item key={id} asChild className={menuItemClass}>
          <Link href={href} data-testid={`menu-${id}`}><Icon className="size-4" aria-hidden /> {t(labelKey)}</Link>
        </DropdownMenu.Item>
      ))}
    </>
  );
}
