"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

export function AcceptTosButton({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth.tos");
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.users.acceptTos.mutationOptions({
      onSuccess: () => {
        router.push(callbackUrl);
        router.refresh();
      },
    }),
  );
  return (
    <div className="flex flex-col gap-2">
      {accept.error && <Alert variant="destructive">{accept.error.message}</Alert>}
      <Button onClick={() => accept.mutate()} disabled={accept.isPending || accept.isSuccess} data-testid="accept-tos">
        {accept.isPending ? t("accepting") : t("accept")}
      </Button>
    </div>
  );
}
