import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { NAV_ITEMS } from "./nav-items";

/** The main navigation in the header (signed-in users; the header decides). */
export async function HeaderLinks() {
  const t = await getTranslations();
  return (
    <>
      {NAV_ITEMS.map(({ href, labelKey, id }) => (
        <Button key={id} asChild variant="ghost" size="sm">
          <Link href={href} data-testid={`nav-${id}`}>{t(labelKey)}</Link>
        </Button>
      ))}
    </>
  );
}
