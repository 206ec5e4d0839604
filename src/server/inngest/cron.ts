/**
 * A small five-field cron matcher (minute hour day-of-month month day-of-week, UTC) for the in-process scheduler,
 * so it reads the very expressions Inngest gets. Supports `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`,
 * and lists; like cron, when both day fields are restricted a day matching either one matches.
 */
const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 7 },
] as const;

function parseField(text: string, { min, max }: { min: number; max: number }): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`Unsupported cron field "${text}"`);
    const start = match[1] === "*" ? min : Number(match[2]);
    const end = match[1] === "*" ? max : match[3] !== undefined ? Number(match[3]) : match[4] ? max : start;
    const step = match[4] ? Number(match[4]) : 1;
    if (start < min || end > max || start > end || step < 1) throw new Error(`Cron field "${text}" is out of range`);
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return values;
}

export type CronSchedule = { matches: (date: Date) => boolean };

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`"${expression}" is not a five-field cron expression`);
  const [minutes, hours, days, months, weekdays] = parts.map((part, i) => parseField(part, FIELDS[i]!)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0); // Sunday is 0 or 7
  const dayRestricted = parts[2] !== "*";
  const weekdayRestricted = parts[4] !== "*";
  return {
    matches(date) {
      const dayOk = days.has(date.getUTCDate());
      const weekdayOk = weekdays.has(date.getUTCDay());
      const dayMatches = dayRestricted && weekdayRestricted ? dayOk || weekdayOk : dayOk && weekdayOk;
      return minutes.has(date.getUTCMinutes()) && hours.has(date.getUTCHours()) && months.has(date.getUTCMonth() + 1) && dayMatches;
    },
  };
}
