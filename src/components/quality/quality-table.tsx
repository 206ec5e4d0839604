import type { ReactNode } from "react";

export type QualityColumn<Row> = { header: string; cell: (row: Row) => ReactNode; numeric?: boolean };

/** The quality page's tables: one header row, bordered rows, numbers in tabular figures, scrolling on a phone. */
export function QualityTable<Row>({ rows, columns, rowKey, testId }: {
  rows: readonly Row[];
  columns: readonly QualityColumn<Row>[];
  rowKey: (row: Row) => string;
  testId: string;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="text-muted-foreground">
          <tr>{columns.map((column, i) => <th key={i} className="py-1 pe-3 text-start font-medium">{column.header}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="border-t">
              {columns.map((column, i) => <td key={i} className={`py-1.5 pe-3 ${column.numeric ? "tabular-nums" : ""}`}>{column.cell(row)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
