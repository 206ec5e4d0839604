import type { CachedStatsValues } from "@/server/domain/stats/dto";
import type { TreeState } from "@/server/db/schema";

type Row = CachedStatsValues["message_trees_states_by_lang"][number];

/** Trees per language (rows) and state (columns, only states that occur); scrolls sideways on phones. */
export function TreeStatesTable({ rows, stateLabel, languageName, labels, format }: {
  rows: Row[];
  stateLabel: (state: TreeState) => string;
  languageName: (lang: string) => string;
  labels: { language: string; total: string; caption: string };
  format: (value: number) => string;
}) {
  const states = [...new Set(rows.map((row) => row.state))];
  const langs = [...new Set(rows.map((row) => row.lang))];
  const count = new Map(rows.map((row) => [`${row.lang}/${row.state}`, row.count]));
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-max text-left text-sm tabular-nums">
        <caption className="sr-only">{labels.caption}</caption>
        <thead>
          <tr className="border-b">
            <th scope="col" className="py-2 pe-4 font-medium">{labels.language}</th>
            {states.map((state) => <th key={state} scope="col" className="py-2 pe-4 text-right font-medium">{stateLabel(state)}</th>)}
            <th scope="col" className="py-2 text-right font-medium">{labels.total}</th>
          </tr>
        </thead>
        <tbody>
          {langs.map((lang) => (
            <tr key={lang} className="border-b last:border-0">
              <th scope="row" className="py-2 pe-4 font-normal">{languageName(lang)}</th>
              {states.map((state) => <td key={state} className="py-2 pe-4 text-right">{format(count.get(`${lang}/${state}`) ?? 0)}</td>)}
              <td className="py-2 text-right font-medium">{format(states.reduce((sum, state) => sum + (count.get(`${lang}/${state}`) ?? 0), 0))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
