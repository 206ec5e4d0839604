import { requireUser } from "@/server/auth/guards";

/**
 * The sign-in check runs here, above this segment's loading.tsx: once its skeleton streams the status is fixed at
 * 200, so a guard inside the page could only redirect from the client. Here a signed-out visitor gets a real 307.
 */
export default async function LeaderboardLayout({ children }: { children: React.ReactNode }) {
  await requireUser("/leaderboard");
  return children;
}
