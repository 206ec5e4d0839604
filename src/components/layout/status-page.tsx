import type { LucideIcon } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** The card of the 404, 403 and error pages: an icon, the status in words, what to do next. */
export function StatusPage({ icon: Icon, code, title, body, children }: {
  icon: LucideIcon;
  code?: number;
  title: string;
  body: string;
  children: React.ReactNode;
}) {
  return (
    <Card className="mx-auto max-w-lg" data-testid="status-page" data-status={code}>
      <CardHeader className="items-center text-center">
        <Icon className="size-10 text-muted-foreground" aria-hidden />
        {code && <p className="font-mono text-sm text-muted-foreground">{code}</p>}
        <CardTitle as="h1" className="text-2xl">{title}</CardTitle>
        <CardDescription className="text-balance">{body}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-wrap justify-center gap-2">{children}</CardContent>
    </Card>
  );
}
