"use client";

import { Cpu, Download, LayoutDashboard, LogOut, UserRound } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { UserMenuLinks } from "@/components/account/user-menu-links";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { UserRole } from "@/server/db/schema";
import { menuContentClass, menuItemClass } from "./menu-styles";

export function UserMenu({ name, role, score, signOutAction }: {
  name: string; role: UserRole; score: { level: number; totalScore: number } | null; signOutAction: () => Promise<void>;
}) {
  const t = useTranslations("common");
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" className="max-w-40 gap-2 px-2 sm:max-w-56" aria-label={t("userMenu.open")} data-testid="user-menu">
          <UserRound aria-hidden />
          <span className="truncate" data-testid="user-menu-name">{name}</span>
          {role !== "general" && <Badge variant={role === "banned" ? "destructive" : "default"}>{t(`roles.${role}`)}</Badge>}
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className={menuContentClass}>
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-muted-foreground">
            {t("userMenu.role")}: {t(`roles.${role}`)}
          </DropdownMenu.Label>
          {score && (
            <DropdownMenu.Label className="px-2 pb-1.5 text-xs font-medium" data-testid="user-menu-score">
              {t("userMenu.level", { level: score.level, score: score.totalScore })}
            </DropdownMenu.Label>
          )}
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <DropdownMenu.Item asChild className={menuItemClass}>
            <Link href="/dashboard"><LayoutDashboard className="size-4" aria-hidden /> {t("nav.dashboard")}</Link>
          </DropdownMenu.Item>
          <UserMenuLinks />
          {(role === "moderator" || role === "admin") && (
            <>
              <DropdownMenu.Separator className="my-1 h-px bg-border" />
              <DropdownMenu.Label className="px-2 py-1 text-xs text-muted-foreground">{t("userMenu.moderation")}</DropdownMenu.Label>
              <DropdownMenu.Item asChild className={menuItemClass}>
                <Link href="/admin/workers" data-testid="menu-workers"><Cpu className="size-4" aria-hidden /> {t("userMenu.workers")}</Link>
              </DropdownMenu.Item>
              <DropdownMenu.Item asChild className={menuItemClass}>
                <Link href="/admin/dataset" data-testid="menu-dataset"><Download className="size-4" aria-hidden /> {t("userMenu.dataset")}</Link>
              </DropdownMenu.Item>
            </>
          )}
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <form action={signOutAction}>
            <DropdownMenu.Item asChild className={menuItemClass}>
              <button type="submit" className="w-full" data-testid="sign-out">
                <LogOut className="size-4" aria-hidden /> {t("userMenu.signOut")}
              </button>
            </DropdownMenu.Item>
          </form>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
