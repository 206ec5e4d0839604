import { AdminNav } from "@/components/admin/admin-nav";
import { requireConsoleUser } from "../guard";

/** The moderator console: one layout with the side navigation (a drawer on phones) around every admin page. */
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireConsoleUser();
  return (
    <div className="flex flex-col gap-4 md:flex-row md:gap-8">
      <AdminNav isAdmin={user.role === "admin"} />
      <div className="flex min-w-0 flex-1 flex-col gap-6" data-testid="admin-content">{children}</div>
    </div>
  );
}
