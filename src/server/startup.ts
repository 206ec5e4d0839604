import { EnvError, parseEnv } from "@/env";

/** Fails fast on bad configuration with one clear line, and announces risky settings loudly. */
export function checkStartup() {
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
