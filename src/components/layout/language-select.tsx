"use client";

import { Check, Languages } from "lucide-react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { useTransition } from "react";
import { setLocale } from "@/app/actions/set-locale";
import { Button } from "@/components/ui/button";
import { LOCALES, localeName } from "@/i18n/config";
import { cn } from "@/lib/utils";
import { menuContentClass, menuItemClass } from "./menu-styles";

/**
 * The UI language, which is also the language of the tasks handed out. Each language is named in itself
 * ("Deutsch", "中文") so people can find theirs whatever the page is in now.
 */
export function LanguageSelect() {
  const t = useTranslations("common.language");
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  const choose = (locale: string) => {
    if (locale === current) return;
    startTransition(async () => {
      await setLocale(locale);
      router.refresh();
    });
  };

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="gap-1 px-2"
          aria-label={`${t("label")}: ${localeName(current)}`}
          aria-busy={pending}
          disabled={pending}
          data-testid="language-select"
        >
          <Languages aria-hidden />
          <span className="text-xs font-medium uppercase" aria-hidden>{current}</span>
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        {/* Seventeen languages are taller than a phone's viewport below the header: the list scrolls within the space left. */}
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          collisionPadding={8}
          className={cn(menuContentClass, "max-h-(--radix-dropdown-menu-content-available-height) overflow-y-auto")}
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-muted-foreground">{t("label")}</DropdownMenu.Label>
          <DropdownMenu.RadioGroup value={current} onValueChange={choose}>
            {LOCALES.map((locale) => (
              <DropdownMenu.RadioItem key={locale} value={locale} lang={locale} className={menuItemClass} data-testid={`language-${locale}`}>
                <span className="flex size-4 items-center justify-center">
                  <DropdownMenu.ItemIndicator>
                    <Check className="size-4" aria-hidden />
                  </DropdownMenu.ItemIndicator>
                </span>
                {localeName(locale)}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
