import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { TreeState } from "@/server/db/schema";

/** Trees by language (rows) and state (columns), each count linking to the trees page filtered to it. */
export async function TreeCountsTable({ counts }: { counts: { state: TreeState; lang: string; count: number }[] }) {
  const t = await getTranslations("admin.trees");
  const langs = [...new Set(counts.map((row) => row.lang))].sort();
  const states = [...new Set(counts.map((row) => row.state))].sort();
  if (counts.length === 0) return <p className="text-sm text-muted-foreground">{t("empty")}</p>;
  const count = (lang: string, state: string) => counts.find((row) => row.lang === lang && row.state === state)?.count ?? 0;
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-sm" data-testid="tree-counts">
        <thead className="bg-muted/50 text-muted-foreground">
          <tr><th className="p-2 text-start">{t("lang")}</th>{states.map((state) => <th key={state} className="p-2 text-start font-normal">{state.replaceAll("_", " ")}</th>)}</tr>
        </thead>
        <tbody>
          {langs.map((lang) => (
            <tr key={lang} className="border-t">
              <td className="p-2 font-medium">{lang}</td>
              {states.map((state) => (
                <td key={state} className="p-2 tabular-nums">
                  {count(lang, state) > 0 ? <Link className="underline-offset-4 hover:underline" href={`/admin/trees?state=${state}&lang=${lang}`}>{count(lang, state)}</Link> : "·"}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
