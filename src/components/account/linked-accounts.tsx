"use client";

import { useQuery } from "@tanstack/react-query";
import { KeyRound, Mail, MessageCircle, Wrench } from "lucide-react";
import { useTranslations } from "next-intl";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { useTRPC } from "@/trpc/react";

const KNOWN_PROVIDERS = ["discord", "google", "nodemailer", "email", "dev"] as const;

function providerIcon(provider: string) {
  if (provider === "nodemailer" || provider === "email") return Mail;
  if (provider === "discord") return MessageCircle;
  if (provider === "dev") return Wrench;
  return KeyRound;
}

/** The ways this account signs in, by provider name (the server never sends tokens or provider ids). */
export function LinkedAccounts() {
  const t = useTranslations("account.linked");
  const tAccount = useTranslations("account");
  const trpc = useTRPC();
  const linked = useQuery(trpc.users.linkedAccounts.queryOptions());
  const name = (provider: string) => ((KNOWN_PROVIDERS as readonly string[]).includes(provider) ? t(`providers.${provider}`) : provider);

  if (linked.isPending) {
    return <div role="status" aria-busy="true" className="h-10 animate-pulse rounded-md bg-muted" />;
  }
  if (linked.error) return <Alert variant="destructive">{errorText(linked.error, tAccount("errors.generic"))}</Alert>;
  // Development and API-client users have no Auth.js account rows; show how they signed in instead.
  const providers = linked.data.accounts.length > 0
    ? [...new Set(linked.data.accounts.map((account) => account.provider))]
    : linked.data.authMethod === "web" ? [] : [linked.data.authMethod];
  if (providers.length === 0) return <p className="text-sm text-muted-foreground">{t("none")}</p>;
  return (
    <ul className="flex flex-wrap gap-2" data-testid="linked-accounts">
      {providers.map((provider) => {
        const Icon = providerIcon(provider);
        return (
          <li key={provider} className="inline-flex items-center gap-2 rounded-full border px-3 py-1 text-sm">
            <Icon className="size-4 text-muted-foreground" aria-hidden /> {name(provider)}
          </li>
        );
      })}
    </ul>
  );
}
