import { fileWriter, ParquetWriter } from "hyparquet-writer";
import type { ColumnSource } from "hyparquet-writer";
import { type ExportMessageNode } from "./oasst-schema";

/** The Parquet columns of a release's messages file: the flat oasst message fields, nested ones as JSON text. */
const STRING_COLUMNS = ["message_id", "parent_id", "user_id", "created_date", "text", "role", "lang", "model_name", "message_tree_id", "tree_state"] as const;
const JSON_COLUMNS = ["labels", "emojis", "events"] as const;

type Row = Record<string, string | number | boolean | null>;

function toRow(node: ExportMessageNode): Row {
  const row: Row = {};
  for (const name of STRING_COLUMNS) row[name] = node[name] ?? null;
  row.review_count = node.review_count ?? null;
  row.review_result = node.review_result ?? null;
  row.deleted = node.deleted ?? null;
  row.synthetic = node.synthetic ?? null;
  row.rank = node.rank ?? null;
  row.consensus_strength = node.consensus_strength ?? null;
  for (const name of JSON_COLUMNS) row[name] = node[name] ? JSON.stringify(node[name]) : null;
  return row;
}

const COLUMN_TYPES: { name: string; type: ColumnSource["type"] }[] = [
  ...STRING_COLUMNS.map((name) => ({ name, type: "STRING" as const })),
  { name: "review_count", type: "INT32" },
  { name: "review_result", type: "BOOLEAN" },
  { name: "deleted", type: "BOOLEAN" },
  { name: "synthetic", type: "BOOLEAN" },
  { name: "rank", type: "INT32" },
  { name: "consensus_strength", type: "DOUBLE" },
  ...JSON_COLUMNS.map((name) => ({ name, type: "STRING" as const })),
];

/**
 * Streams flat oasst messages into a Parquet file in row groups of `rowGroupSize`, so memory holds one row group
 * however many messages there are. Returns the number of rows written.
 */
export async function writeMessagesParquet(lines: AsyncIterable<string>, file: string, rowGroupSize = 10_000): Promise<number> {
  const columns = (rows: Row[]): ColumnSource[] =>
    COLUMN_TYPES.map(({ name, type }) => ({ name, type, nullable: true, data: rows.map((row) => row[name] ?? null) }));
  const schema = [
    { name: "root", num_children: COLUMN_TYPES.length },
    ...COLUMN_TYPES.map(({ name, type }) => {
      const physical = type === "STRING" ? "BYTE_ARRAY" : type === "DOUBLE" ? "DOUBLE" : type === "BOOLEAN" ? "BOOLEAN" : "INT32";
      return {
        name,
        type: physical,
        repetition_type: "OPTIONAL",
        ...(type === "STRING" ? { converted_type: "UTF8", logical_type: { type: "STRING" } } : {}),
      };
    }),
  ] as ConstructorParameters<typeof ParquetWriter>[0]["schema"];
  const writer = new ParquetWriter({ writer: fileWriter(file), schema });
  let buffer: Row[] = [];
  let written = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    await writer.write({ columnData: columns(buffer), rowGroupSize: buffer.length });
    written += buffer.length;
    buffer = [];
  };
  for await (const line of lines) {
    buffer.push(toRow(JSON.parse(line) as ExportMessageNode));
    if (buffer.length >= rowGroupSize) await flush();
  }
  await flush();
  await writer.finish();
  return written;
}
