import {
  Activity, BookOpenText, Cpu, Download, Gauge, Inbox, KeyRound, ListTree, MessageSquareText, Scale, Settings2, Skull, Users,
} from "lucide-react";

/**
 * The console's side navigation, in order. Adding a page is one line here (label under `admin.nav.<key>` in every
 * locale); `adminOnly` hides an entry from moderators (the page itself still checks the role on the server).
 */
export const ADMIN_NAV = [
  { href: "/admin", key: "home", icon: Gauge },
  { href: "/admin/queue", key: "queue", icon: Inbox },
  { href: "/admin/users", key: "users", icon: Users },
  { href: "/admin/messages", key: "messages", icon: MessageSquareText },
  { href: "/admin/trees", key: "trees", icon: ListTree },
  { href: "/admin/trollboard", key: "trollboard", icon: Skull },
  { href: "/admin/journal", key: "journal", icon: BookOpenText },
  { href: "/admin/quality", key: "quality", icon: Scale },
  { href: "/admin/status", key: "status", icon: Activity },
  { href: "/admin/parameters", key: "parameters", icon: Settings2 },
  { href: "/admin/workers", key: "workers", icon: Cpu },
  { href: "/admin/dataset", key: "dataset", icon: Download },
  { href: "/admin/api-clients", key: "apiClients", icon: KeyRound, adminOnly: true },
] as const satisfies readonly { href: string; key: string; icon: unknown; adminOnly?: boolean }[];

export type AdminNavKey = (typeof ADMIN_NAV)[number]["key"];
