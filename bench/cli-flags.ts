/**
 * The benchmarks' command-line flags, `--name=value`: the value is everything after the first `=`, so a database URL
 * with query parameters (`?sslmode=…&…`) arrives whole.
 */
export function flag(name: string, fallback: string, argv?: readonly string[]): string;
export function flag(name: string, fallback?: string, argv?: readonly string[]): string | undefined;
export function flag(name: string, fallback?: string, argv: readonly string[] = process.argv): string | undefined {
  return argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

/** A numeric flag, `fallback` when it is not given. */
export function numberFlag(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  return Number(flag(name, undefined, argv) ?? fallback);
}
