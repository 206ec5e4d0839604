import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/admin/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Parameters" };

const show = (value: unknown) => (Array.isArray(value) ? value.join(", ") || "—" : String(value));

/** Read-only: the effective tree-manager settings per language and the rate-limit policies (no secrets). */
export default async function ParametersPage() {
  const [t, api] = await Promise.all([getTranslations("admin"), serverCaller()]);
  const parameters = await api.admin.parameters();
  const defaults = parameters.treeManager[0]!;
  const keys = Object.keys(defaults.settings);
  const langs = parameters.treeManager.slice(1);
  return (
    <>
      <PageHeader title={t("parameters.title")} lead={t("parameters.lead")} />
      <Card>
        <CardHeader><CardTitle>{t("parameters.treeManager")}</CardTitle></CardHeader>
        <CardContent className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="parameters-tree">
            <thead className="text-muted-foreground">
              <tr><th className="p-1 text-start font-normal">{t("parameters.setting")}</th><th className="p-1 text-start font-normal">{t("parameters.default")}</th>
                {langs.map((lang) => <th key={lang.lang} className="p-1 text-start font-normal">{lang.lang}{lang.overridden && <Badge variant="secondary" className="ms-1">{t("parameters.overridden")}</Badge>}</th>)}</tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key} className="border-t">
                  <td className="p-1 font-mono text-xs">{key}</td>
                  <td className="p-1 tabular-nums">{show(defaults.settings[key])}</td>
                  {langs.map((lang) => {
                    const value = show(lang.settings[key]);
                    return <td key={lang.lang} className={value === show(defaults.settings[key]) ? "p-1 text-muted-foreground" : "p-1 font-semibold"}>{value}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader><CardTitle>{t("parameters.rateLimits")}</CardTitle></CardHeader>
        <CardContent>
          <table className="w-full text-sm" data-testid="parameters-rate-limits">
            <thead className="text-muted-foreground"><tr><th className="text-start font-normal">{t("parameters.policy")}</th><th className="text-start font-normal">{t("parameters.limit")}</th></tr></thead>
            <tbody>{parameters.rateLimits.map((policy) => <tr key={policy.name} className="border-t"><td className="py-1 font-mono text-xs">{policy.name}</td><td>{t("parameters.perWindow", { attempts: policy.attempts, window: policy.window })}</td></tr>)}</tbody>
          </table>
        </CardContent>
      </Card>
    </>
  );
}
