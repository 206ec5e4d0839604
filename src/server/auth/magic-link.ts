import { createTransport } from "nodemailer";
import { assertRateLimit } from "@/server/ratelimit";

export type MagicLinkRequest = { identifier: string; url: string };

/**
 * Sends (or, without SMTP, prints) a sign-in link. Each address gets a few links per window, so the form cannot be
 * used to flood someone's inbox; a refused request surfaces on the sign-in page as an email error.
 */
export async function sendMagicLink(request: MagicLinkRequest, smtp: { server?: string; from: string }): Promise<void> {
  await assertRateLimit({ policy: "signInEmail", identifier: request.identifier.trim().toLowerCase() });
  if (!smtp.server) {
    console.log(`\n✉️  Sign-in link for ${request.identifier} (no EMAIL_SERVER configured, so it is printed here):\n${request.url}\n`);
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
