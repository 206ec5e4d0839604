import { TriangleAlert } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthError } from "next-auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { signIn } from "@/server/auth";
import { configuredProviders } from "@/server/auth/config";
import { DEV_LOGIN_ROLES } from "@/server/auth/dev-login";
import { getCurrentUser, safeCallbackPath } from "@/server/auth/guards";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("signin") };
}

const KNOWN_ERRORS = ["AccessDenied", "CredentialsSignin", "Verification", "Configuration", "EmailSignInError"] as const;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function signInWith(provider: string, callbackUrl: string, formData?: FormData) {
  "use server";
  try {
    await signIn(provider, formData ?? { redirectTo: callbackUrl });
  } catch (error) {
    // Auth.js signals its redirect by throwing; only real sign-in failures are turned into a message.
    if (error instanceof AuthError) redirect(`/signin?error=${error.type}&callbackUrl=${encodeURIComponent(callbackUrl)}`);
    throw error;
  }
}

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const t = await getTranslations("auth.signIn");
  const tRoles = await getTranslations("common.roles");
  const providers = configuredProviders();
  const errorParam = typeof params.error === "string" ? params.error : null;
  const errorKey = errorParam ? (KNOWN_ERRORS.find((known) => known === errorParam) ?? "default") : null;

  return (
    <div className="mx-auto flex max-w-md flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle as="h1" className="text-2xl">{t("title")}</CardTitle>
          <CardDescription>{t("subtitle")}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {errorKey && <Alert variant="destructive">{t(`errors.${errorKey}`)}</Alert>}
          {providers.length === 0 && <Alert variant="warning">{t("noProviders")}</Alert>}
          {providers
            .filter((provider) => provider.kind === "oauth")
            .map((provider) => (
              <form key={provider.id} action={signInWith.bind(null, provider.id, callbackUrl, undefined)}>
                <Button type="submit" variant="outline" className="w-full">
                  {t("withProvider", { provider: provider.name })}
                </Button>
              </form>
            ))}
          {providers.some((provider) => provider.kind === "email") && (
            <form action={signInWith.bind(null, "nodemailer", callbackUrl)} className="flex flex-col gap-2">
              <Label htmlFor="email">{t("email")}</Label>
              <Input id="email" name="email" type="email" required autoComplete="email" placeholder={t("emailPlaceholder")} />
              <input type="hidden" name="redirectTo" value={callbackUrl} />
              <Button type="submit" variant="secondary">{t("emailButton")}</Button>
            </form>
          )}
        </CardContent>
      </Card>

      {providers.some((provider) => provider.kind === "dev") && (
        <Card className="border-warning-foreground/40" data-testid="dev-login">
          <CardHeader>
            <CardTitle>{t("devTitle")}</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <Alert variant="warning" className="flex gap-2">
              <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
              <span>{t("devWarning")}</span>
            </Alert>
            <form action={signInWith.bind(null, "dev", callbackUrl)} className="flex flex-col gap-3">
              <div className="flex flex-col gap-2">
                <Label htmlFor="dev-name">{t("devName")}</Label>
                <Input id="dev-name" name="name" required maxLength={64} autoComplete="username" />
              </div>
              <div className="flex flex-col gap-2">
                <Label htmlFor="dev-role">{t("devRole")}</Label>
                <NativeSelect id="dev-role" name="role" defaultValue="keep">
                  {DEV_LOGIN_ROLES.map((role) => (
                    <option key={role} value={role}>{role === "keep" ? t("devRoleKeep") : tRoles(role)}</option>
                  ))}
                </NativeSelect>
              </div>
              <input type="hidden" name="redirectTo" value={callbackUrl} />
              <Button type="submit" data-testid="dev-login-submit">{t("devButton")}</Button>
            </form>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
