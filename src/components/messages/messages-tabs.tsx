"use client";

import { useTranslations } from "next-intl";
import { Tabs } from "radix-ui";
import { useState } from "react";
import { MessageList } from "./message-list";

const TABS = ["recent", "mine"] as const;
type Tab = (typeof TABS)[number];

/** "Recent messages in {language}" and "Your messages"; each tab loads its list when first shown. */
export function MessagesTabs({ lang, languageName, isModerator }: { lang: string; languageName: string; isModerator: boolean }) {
  const t = useTranslations("messages.tabs");
  const [tab, setTab] = useState<Tab>("recent");
  return (
    <Tabs.Root value={tab} onValueChange={(value) => setTab(value as Tab)} className="flex flex-col gap-4">
      <Tabs.List aria-label={t("label")} className="flex w-full gap-1 rounded-lg bg-muted p-1 sm:w-fit">
        {TABS.map((value) => (
          <Tabs.Trigger
            key={value}
            value={value}
            data-testid={`tab-${value}`}
            className="flex-1 rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:text-foreground data-[state=active]:bg-background data-[state=active]:text-foreground data-[state=active]:shadow-sm sm:flex-none"
          >
            {value === "recent" ? t("recent", { language: languageName }) : t("mine")}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {TABS.map((value) => (
        <Tabs.Content key={value} value={value} className="rounded-md">
          <MessageList source={value} lang={lang} isModerator={isModerator} />
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}
