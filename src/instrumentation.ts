/** Runs once when a Next.js server starts: fail fast on bad configuration and announce risky settings. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseEnv, EnvError } = await import("@/env");
  try {
    const env = parseEnv();
    if (env.AUTH_DEV_LOGIN) {
      console.warn(
        "\n⚠️  AUTH_DEV_LOGIN=true: anyone can sign in as any user with any role. Never use this on a public server.\n",
      );
    }
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`\n✖ ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
