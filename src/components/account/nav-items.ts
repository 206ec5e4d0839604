import { ChartColumn, MessageSquareText, MessagesSquare, Settings, Swords, Trophy } from "lucide-react";

/** The signed-in user's main destinations, shown in the header (wide screens) and the user menu (all screens). */
export const NAV_ITEMS = [
  { href: "/chat", labelKey: "chat.nav", id: "chat", icon: MessagesSquare },
  { href: "/messages", labelKey: "messages.nav", id: "messages", icon: MessageSquareText },
  { href: "/leaderboard", labelKey: "leaderboard.title", id: "leaderboard", icon: Trophy },
  { href: "/stats", labelKey: "stats.title", id: "stats", icon: ChartColumn },
  { href: "/models", labelKey: "arena.nav", id: "models", icon: Swords },
  { href: "/account", labelKey: "account.nav", id: "account", icon: Settings },
] as const;
