"use client";

import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { ADMIN_NAV } from "./nav-items";

function NavLinks({ isAdmin, onNavigate }: { isAdmin: boolean; onNavigate?: () => void }) {
  const t = useTranslations("admin.nav");
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-0.5">
      {ADMIN_NAV.filter((item) => isAdmin || !("adminOnly" in item && item.adminOnly)).map((item) => {
        const active = item.href === "/admin" ? pathname === "/admin" : pathname.startsWith(item.href);
        const Icon = item.icon;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              data-testid={`admin-nav-${item.key}`}
              className={cn(
                "flex items-center gap-2 rounded-md px-3 py-2 text-sm hover:bg-accent hover:text-accent-foreground",
                active && "bg-accent font-medium text-accent-foreground",
              )}
            >
              <Icon className="size-4 shrink-0" aria-hidden /> {t(item.key)}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** Side navigation on wide screens; on phones a button opens it as a drawer. */
export function AdminNav({ isAdmin }: { isAdmin: boolean }) {
  const t = useTranslations("admin.nav");
  const [open, setOpen] = useState(false);
  return (
    <>
      <nav aria-label={t("label")} className="sticky top-20 hidden w-52 shrink-0 self-start md:block">
        <NavLinks isAdmin={isAdmin} />
      </nav>
      <div className="md:hidden">
        <Dialog.Root open={open} onOpenChange={setOpen}>
          <Dialog.Trigger asChild>
            <Button variant="outline" size="sm" data-testid="admin-nav-open"><Menu aria-hidden /> {t("menu")}</Button>
          </Dialog.Trigger>
          <Dialog.Portal>
            <Dialog.Overlay className="fixed inset-0 z-50 bg-black/50" />
            <Dialog.Content className="fixed inset-y-0 start-0 z-50 flex w-72 max-w-[85vw] flex-col gap-3 overflow-y-auto border-e bg-card p-4 shadow-xl">
              <div className="flex items-center justify-between">
                <Dialog.Title className="font-semibold">{t("label")}</Dialog.Title>
                <Dialog.Close asChild>
                  <Button variant="ghost" size="icon" aria-label={t("close")}><X aria-hidden /></Button>
                </Dialog.Close>
              </div>
              <Dialog.Description className="sr-only">{t("label")}</Dialog.Description>
              <nav aria-label={t("label")}><NavLinks isAdmin={isAdmin} onNavigate={() => setOpen(false)} /></nav>
            </Dialog.Content>
          </Dialog.Portal>
        </Dialog.Root>
      </div>
    </>
  );
}
