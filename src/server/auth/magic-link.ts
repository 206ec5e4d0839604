import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { createTransport } from "nodemailer";
import { assertRateLimit } from "@/server/ratelimit";

export type MagicLinkRequest = { identifier: string; url: string };

/** Where sign-in links go without SMTP (development): a file only this user can read, never the log. */
export const DEV_OUTBOX_FILE = path.join(".data", "sign-in-links.txt");

/** `alice@example.com` → `a…@example.com`: enough to recognise in a log, not enough to harvest. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "…";
  return `${address[0]}…${address.slice(at)}`;
}

/**
 * Sends (or, without SMTP, files) a sign-in link. Each address gets a few links per window, so the form cannot be
 * used to flood someone's inbox; a refused request surfaces on the sign-in page as an email error. The link itself
 * is a password: it is never written to the server log (logs are shipped and kept), only the masked address is.
 */
export async function sendMagicLink(
  request: MagicLinkRequest,
  smtp: { server?: string; from: string },
  outboxFile: string = DEV_OUTBOX_FILE,
): Promise<void> {
  await assertRateLimit({ policy: "signInEmail", identifier: request.identifier.trim().toLowerCase() });
  if (!smtp.server) {
    mkdirSync(path.dirname(outboxFile), { recursive: true });
    appendFileSync(outboxFile, `${new Date().toISOString()} ${request.identifier}\n${request.url}\n\n`, { mode: 0o600 });
    console.log(`✉️  Sign-in link for ${maskEmail(request.identifier)} written to ${outboxFile} (no EMAIL_SERVER configured).`);
    return;
  }
  const { host } = new URL(request.url);
  await createTransport(smtp.server).sendMail({
    to: request.identifier,
    from: smtp.from,
    subject: `Sign in to ${host}`,
    text: `Sign in to ${host}:\n${request.url}\n\nIf you did not ask for this email, you can ignore it.\n`,
    html: `<p>Sign in to <strong>${host}</strong>:</p><p><a href="${request.url}">Sign in</a></p><p>If you did not ask for this email, you can ignore it.</p>`,
  });
}
