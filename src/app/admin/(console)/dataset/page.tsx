import { Download } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { TREE_STATES } from "@/server/db/schema";
import { requireConsoleUser } from "../../guard";
import { EXPORT_FORMATS } from "@/server/domain/dataset/export-formats";
import { DEFAULT_RELEASE_ROOT, listReleases, type ReleaseManifest } from "@/server/domain/dataset/release";
import { ReleaseForm } from "./release-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("dataset") };
}

const FLAGS = ["exclude", "include", "only"] as const;

function Field({ id, label, children, hint }: { id: string; label: string; children: React.ReactNode; hint?: string }) {
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

/** The admin download page: the same filters as `npm run dataset -- export`, streamed by /api/dataset/export. */
export default async function DatasetPage() {
  const user = await requireConsoleUser("/admin/dataset");
  const t = await getTranslations("admin");
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle as="h1" className="text-2xl">{t("dataset.title")}</CardTitle>
          <CardDescription>{t("dataset.lead")}</CardDescription>
        </CardHeader>
        <CardContent>
          <form method="get" action="/api/dataset/export" className="grid gap-5 sm:grid-cols-2" data-testid="dataset-form">
            <Field id="format" label={t("dataset.format")}>
              <NativeSelect id="format" name="format" defaultValue="trees">
                {EXPORT_FORMATS.map((format) => <option key={format} value={format}>{t(`dataset.formats.${format}`)}</option>)}
              </NativeSelect>
            </Field>
            <Field id="state" label={t("dataset.states")}>
              <NativeSelect id="state" name="state" multiple defaultValue={["ready_for_export"]} className="h-32">
                <option value="all">{t("dataset.allStates")}</option>
                {TREE_STATES.map((state) => <option key={state} value={state}>{state.replaceAll("_", " ")}</option>)}
              </NativeSelect>
            </Field>
            <Field id="lang" label={t("dataset.lang")}>
              <Input id="lang" name="lang" placeholder={t("dataset.langPlaceholder")} maxLength={32} />
            </Field>
            <Field id="userId" label={t("dataset.userId")}>
              <Input id="userId" name="userId" placeholder="00000000-0000-0000-0000-000000000000" />
            </Field>
            {(["deleted", "spam", "synthetic"] as const).map((name) => (
              <Field key={name} id={name} label={t(`dataset.${name}`)}>
                <NativeSelect id={name} name={name} defaultValue="exclude">
                  {FLAGS.map((flag) => <option key={flag} value={flag}>{t(`dataset.flag.${flag}`)}</option>)}
                </NativeSelect>
              </Field>
            ))}
            <Field id="limit" label={t("dataset.limit")}>
              <Input id="limit" name="limit" type="number" min={1} inputMode="numeric" />
            </Field>
            <Field id="from" label={t("dataset.from")}><Input id="from" name="from" type="date" /></Field>
            <Field id="to" label={t("dataset.to")}><Input id="to" name="to" type="date" /></Field>
            <Field id="anonymize" label={t("dataset.anonymize")} hint={t("dataset.anonymizeHint")}>
              <Input id="anonymize" name="anonymize" maxLength={128} />
            </Field>
            <fieldset className="flex flex-col gap-2 text-sm">
              {(["promptsOnly", "labels", "events", "gzip"] as const).map((name) => (
                <label key={name} className="flex items-center gap-2">
                  <input type="checkbox" name={name} defaultChecked={name === "gzip"} /> {t(`dataset.${name}`)}
                </label>
              ))}
            </fieldset>
            <div className="sm:col-span-2">
              <Button type="submit" data-testid="dataset-download"><Download aria-hidden /> {t("dataset.download")}</Button>
            </div>
          </form>
        </CardContent>
      </Card>
      {user.role === "admin" && <Releases />}
    </div>
  );
}

/** Dataset releases (release.ts): a button that builds one, and every release so far with its files. Admins only. */
async function Releases() {
  const t = await getTranslations("admin.dataset.releases");
  const releases: ReleaseManifest[] = await listReleases(DEFAULT_RELEASE_ROOT);
  return (
    <Card data-testid="releases">
      <CardHeader>
        <CardTitle as="h2" className="text-xl">{t("title")}</CardTitle>
        <CardDescription>{t("lead")}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <ReleaseForm suggestedName={new Date().toISOString().slice(0, 10)} />
        {releases.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="releases-empty">{t("empty")}</p>
        ) : (
          <ul className="flex flex-col gap-4" data-testid="releases-list">
            {releases.map((release) => (
              <li key={release.name} className="rounded-lg border p-3 text-sm">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-medium">{release.name}</span>
                  <span className="text-xs text-muted-foreground">{release.created_at.slice(0, 16).replace("T", " ")}</span>
                </div>
                <p className="text-muted-foreground">
                  {t("summary", { trees: release.counts.trees, messages: release.counts.messages, withdrawals: release.counts.withdrawals })}
                </p>
                <div className="mt-2 flex flex-wrap gap-x-3 gap-y-1">
                  {["manifest.json", ...release.files.map((file) => file.path)].map((file) => (
                    <a
                      key={file}
                      className="text-primary underline-offset-4 hover:underline focus-visible:underline"
                      href={`/admin/dataset/releases/${encodeURIComponent(release.name)}/${encodeURIComponent(file)}`}
                    >
                      {file}
                    </a>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
