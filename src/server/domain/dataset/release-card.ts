import { type QualitySummary } from "@/server/domain/quality/summary";
import type { ReleaseDiff, ReleaseManifest } from "./release";

/** What the dataset card of a release says (README.md with the dataset hub's YAML front matter). */
export type ReleaseCardInput = {
  name: string;
  createdAt: Date;
  previous: string | null;
  counts: ReleaseManifest["counts"];
  diff: ReleaseDiff | null;
  filters: Record<string, unknown>;
  quality: QualitySummary;
};

export const RELEASE_LICENSE = "apache-2.0";

/** The hub's size category for a number of rows. */
export function sizeCategory(rows: number): string {
  const bounds: [number, string][] = [
    [1_000, "n<1K"], [10_000, "1K<n<10K"], [100_000, "10K<n<100K"], [1_000_000, "100K<n<1M"],
    [10_000_000, "1M<n<10M"], [100_000_000, "10M<n<100M"], [1_000_000_000, "100M<n<1B"],
  ];
  return bounds.find(([bound]) => rows < bound)?.[1] ?? "n>1B";
}

/** A YAML scalar: JSON strings are valid YAML and need no escaping rules of our own. */
const q = (value: string) => JSON.stringify(value);

function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

const fmt = (value: number | null) => (value === null ? "n/a" : value.toFixed(3));

export function releaseCard(input: ReleaseCardInput): string {
  const { counts, diff, quality } = input;
  const languages = Object.keys(counts.messages_by_language).filter((lang) => lang !== "unknown").sort();
  const frontMatter = [
    "---",
    `pretty_name: ${q(`Open Assistant conversations — ${input.name}`)}`,
    `license: ${RELEASE_LICENSE}`,
    "language:",
    ...(languages.length > 0 ? languages.map((lang) => `  - ${q(lang)}`) : []),
    "size_categories:",
    `  - ${q(sizeCategory(counts.messages))}`,
    "task_categories:",
    "  - text-generation",
    "tags:",
    "  - human-feedback",
    "  - conversations",
    "  - rlhf",
    "configs:",
    "  - config_name: messages",
    "    default: true",
    "    data_files:",
    "      - split: train",
    "        path: messages.parquet",
    "  - config_name: trees",
    "    data_files:",
    "      - split: train",
    "        path: trees.jsonl.gz",
    "  - config_name: sft",
    "    data_files:",
    "      - split: train",
    "        path: sft.jsonl.gz",
    "  - config_name: pairs",
    "    data_files:",
    "      - split: train",
    "        path: pairs.jsonl.gz",
    "---",
  ];
  const byLanguage = Object.entries(counts.messages_by_language)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([lang, n]) => [lang, counts.trees_by_language[lang] ?? 0, n]);
  const agreement =
    quality.computedAt === null || quality.labels.length === 0
      ? "The agreement figures (Krippendorff's α per label, Kendall's W per ranked sibling group) were not computed for this release: the quality job had not run."
      : [
          `Inter-rater agreement, computed ${quality.computedAt.toISOString().slice(0, 10)} over all reviews (Krippendorff's α: nominal for flags, interval for scales):`,
          "",
          table(["label", "metric", "α", "units"], quality.labels.map((row) => [row.label, row.metric, fmt(row.alpha), row.units])),
        ].join("\n");
  const changes =
    diff === null
      ? "This is the first release: there is nothing to compare with and no withdrawals."
      : [
          `Compared with the previous release \`${input.previous}\`: ${diff.added} messages added, ${diff.removed} removed, ${diff.changed} changed, ${diff.unchanged} unchanged.`,
          `${diff.withdrawn} of the removed messages were withdrawn (deleted since, or their authors removed their accounts); they are listed in \`withdrawals.jsonl\`.`,
          "Whoever holds a copy of an earlier release is asked to delete the withdrawn messages from it.",
        ].join(" ");
  const body = [
    `# Open Assistant conversations — release ${input.name}`,
    "",
    `Released ${input.createdAt.toISOString().slice(0, 10)}. Human-written conversation trees: prompts, assistant replies written by volunteers,`,
    "their quality labels and the rankings of sibling replies, in the oasst export format (old readers ignore the optional fields we add).",
    "",
    "## Files",
    "",
    table(
      ["file", "contents", "rows"],
      [
        ["`trees.jsonl.gz`", "one conversation tree per line, replies nested", counts.trees],
        ["`messages.jsonl.gz`", "one message per line, with `parent_id` and `message_tree_id`", counts.messages],
        ["`messages.parquet`", "the same messages as Parquet (labels, emojis and events as JSON text)", counts.messages],
        ["`sft.jsonl.gz`", "supervised fine-tuning threads (`messages: [{role, content}]`)", counts.sft_threads],
        ["`pairs.jsonl.gz`", "preference pairs from ranked siblings (`chosen`, `rejected`)", counts.preference_pairs],
        ["`withdrawals.jsonl`", "messages withdrawn since the previous release", counts.withdrawals],
        ["`manifest.json`", "counts and SHA-256 of every file, filters, previous release", ""],
      ],
    ),
    "",
    "## Languages",
    "",
    table(["language", "trees", "messages"], byLanguage),
    "",
    "## How it was collected",
    "",
    "Volunteers on the Open Assistant platform wrote prompts and replies, labelled each other's messages (spam, quality, toxicity, …)",
    "and ranked sibling replies. A tree grows until enough replies are reviewed, is ranked, and becomes `ready_for_export`.",
    "The files were exported with these filters (by default: trees in `ready_for_export`, accepted non-deleted messages, no",
    "synthetic messages, nothing written by removed accounts):",
    "",
    "```json",
    JSON.stringify(input.filters, null, 2),
    "```",
    "",
    "## Agreement",
    "",
    agreement,
    "",
    "## Changes and withdrawals",
    "",
    changes,
    "",
    "## Licence",
    "",
    `Released under ${RELEASE_LICENSE}. User ids are the platform's; removed accounts are anonymised on the platform.`,
    "",
  ];
  return `${frontMatter.join("\n")}\n\n${body.join("\n")}`;
}
