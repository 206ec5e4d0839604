import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { signOut } from "@/server/auth";
import { requireUser, safeCallbackPath } from "@/server/auth/guards";
import { AcceptTosButton } from "./accept-tos-button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("tos") };
}

async function declineAction() {
  "use server";
  await signOut({ redirectTo: "/" });
}

export default async function TosPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  const user = await requireUser(`/tos?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (user.tosAcceptanceDate) redirect(callbackUrl);
  const t = await getTranslations("auth.tos");
  const points = t.raw("points") as string[];
  return (
    <Card className="mx-auto max-w-2xl">
      <CardHeader>
        <CardTitle as="h1" className="text-2xl">{t("title")}</CardTitle>
        <CardDescription>{t("intro")}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <ol className="list-decimal space-y-2 ps-5 text-sm leading-relaxed">
          {points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ol>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <form action={declineAction}>
            <button type="submit" className="h-10 w-full rounded-md px-4 text-sm text-muted-foreground hover:underline sm:w-auto">
              {t("decline")}
            </button>
          </form>
          <AcceptTosButton callbackUrl={callbackUrl} />
        </div>
      </CardContent>
    </Card>
  );
}
