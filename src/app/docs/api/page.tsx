import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RATE_LIMIT_POLICIES } from "@/server/ratelimit/policies";
import { backendRoutes, inferenceRoutes } from "@/server/rest";
import type { RestRoute } from "@/server/rest/route";

export const metadata: Metadata = { title: "Developer API" };

/** A developer's page (English, like the API itself): keys, users, limits, errors, both APIs and the examples. */

function Code({ children }: { children: string }) {
  return (
    <pre className="overflow-x-auto rounded-md border bg-muted p-3 text-xs leading-relaxed" tabIndex={0}>
      <code>{children}</code>
    </pre>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <Card id={id} className="scroll-mt-20">
      <CardHeader>
        <CardTitle className="text-xl">
          <h2>{title}</h2>
        </CardTitle>
        {description && <CardDescription>{description}</CardDescription>}
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm leading-relaxed">{children}</CardContent>
    </Card>
  );
}

const AUTH_LABEL: Record<RestRoute["auth"], string> = { none: "no key", key: "key", trusted: "trusted key" };

const pathOf = (route: RestRoute, prefix: string) => `${prefix}${route.path}`.replace(/\/$/, "");

/** A table on wider screens; on a phone, one block per endpoint so the paths stay readable. */
function RouteTable({ routes, prefix }: { routes: readonly RestRoute[]; prefix: string }) {
  return (
    <>
      <ul className="flex flex-col divide-y rounded-md border sm:hidden">
        {routes.map((route) => (
          <li key={`${route.method} ${route.path}`} className="flex flex-col gap-1 px-3 py-2 text-xs">
            <span className="font-mono break-all">
              <span className="font-semibold">{route.method}</span> {pathOf(route, prefix)}
            </span>
            <span>{route.summary}</span>
            <span className="text-muted-foreground">{AUTH_LABEL[route.auth]}</span>
          </li>
        ))}
      </ul>
      <RouteGrid routes={routes} prefix={prefix} />
    </>
  );
}

function RouteGrid({ routes, prefix }: { routes: readonly RestRoute[]; prefix: string }) {
  return (
    <div className="hidden overflow-x-auto rounded-md border sm:block" tabIndex={0}>
      <table className="w-full text-left text-xs">
        <thead className="bg-muted text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Method</th>
            <th scope="col" className="px-3 py-2 font-medium">Path</th>
            <th scope="col" className="px-3 py-2 font-medium">Auth</th>
            <th scope="col" className="px-3 py-2 font-medium">What it does</th>
          </tr>
        </thead>
        <tbody>
          {routes.map((route) => (
            <tr key={`${route.method} ${route.path}`} className="border-t align-top">
              <td className="px-3 py-2 font-mono">{route.method}</td>
              <td className="px-3 py-2 font-mono break-all">{pathOf(route, prefix)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{AUTH_LABEL[route.auth]}</td>
              <td className="px-3 py-2">{route.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const UNITS = { s: "second", m: "minute", h: "hour" } as const;

/** "4 m" → "4 minutes". */
function per(policy: { attempts: number; window: string }) {
  const [amount, unit] = policy.window.split(" ") as [string, keyof typeof UNITS];
  const n = Number(amount);
  return `${policy.attempts.toLocaleString("en")} per ${n === 1 ? "" : `${n} `}${UNITS[unit]}${n === 1 ? "" : "s"}`;
}

const TOC = [
  ["keys", "API keys"],
  ["users", "External users"],
  ["limits", "Rate limits"],
  ["errors", "Errors"],
  ["client", "Typed client (tRPC)"],
  ["rest", "REST API (original backend)"],
  ["chat", "Chat API (original inference server)"],
  ["examples", "Examples"],
  ["differences", "Differences from the original"],
] as const;

export default function ApiDocsPage() {
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-2">
        <h1 className="text-3xl font-semibold tracking-tight">Developer API</h1>
        <p className="max-w-3xl text-muted-foreground">
          Bots, scripts and evaluation harnesses use the same rules as the website through two APIs: a typed tRPC API with a
          TypeScript client, and the original Open-Assistant REST APIs, so existing bots keep working. The machine-readable
          description is the <a className="underline underline-offset-4" href="/api/v1/openapi.json">OpenAPI 3.1 document</a>.
        </p>
        <nav aria-label="On this page" className="flex flex-wrap gap-2 pt-2">
          {TOC.map(([id, label]) => (
            <a key={id} href={`#${id}`} className="rounded-full border px-3 py-1 text-xs hover:bg-muted focus-visible:outline-2">
              {label}
            </a>
          ))}
        </nav>
      </header>

      <Section id="keys" title="API keys" description="Every call carries an API key in the X-API-Key header.">
        <p>
          Administrators create keys on the admin pages; a key is shown once and stored only as a hash. A <strong>trusted</strong> key
          may also do what moderators do: delete and undelete messages, halt trees, manage users, read the trollboard.
        </p>
        <p>
          In development (<code>npm run dev</code> on the embedded database) two keys exist, as in the original&apos;s development
          setup: <code>1234</code> for the backend API (trusted) and <code>0000</code> for the chat API. They never exist in production.
        </p>
      </Section>

      <Section id="users" title="External users" description="A key acts for the users of its bot or site.">
        <p>
          Name the user in the body (<code>{`"user": {"id": "1234567", "display_name": "Ada", "auth_method": "discord"}`}</code>) or,
          for the tRPC API and REST reads, in the header <code>x-oasst-user: discord:1234567</code> (plus <code>x-oasst-user-name</code>).
          The first call creates the user; each key has its own users, with their own tasks, limits, streaks and leaderboard places.
          Users of your client are taken to have accepted the terms of service shown by your front end. Chat calls without a user act
          for your key&apos;s own user.
        </p>
      </Section>

      <Section id="limits" title="Rate limits" description="Limits are counted per user (and per key), as in the original.">
        <ul className="list-disc space-y-1 ps-5">
          <li>Task requests: {per(RATE_LIMIT_POLICIES.taskRequest)} per user and type; assistant replies {per(RATE_LIMIT_POLICIES.assistantReplyTask)}, prompter replies {per(RATE_LIMIT_POLICIES.prompterReplyTask)} (random requests count toward the type they turn out to be).</li>
          <li>Everything one key sends: {per(RATE_LIMIT_POLICIES.apiClient)}.</li>
          <li>Chat replies: {per(RATE_LIMIT_POLICIES.chatReply)} per user.</li>
        </ul>
        <p>
          Over a limit the answer is HTTP 429 with a <code>Retry-After</code> header (seconds). A busy chat queue answers 503, also with
          advice to retry; the typed client puts both in <code>error.retryAfterSeconds</code>.
        </p>
      </Section>

      <Section id="errors" title="Errors" description="Stable codes and a human message; never a stack trace.">
        <p>REST errors use the original&apos;s body, plus our stable name. Validation errors are HTTP 422 with the issues in <code>detail</code>.</p>
        <Code>{`HTTP/1.1 404 Not Found
{"error_code": 2100, "app_code": "TASK_NOT_FOUND", "message": "This task does not exist."}`}</Code>
        <p>
          tRPC errors carry the same facts in <code>error.data</code>: <code>appCode</code>, <code>oaCode</code> (the original&apos;s number) and
          <code> details</code>. Common codes: 2 bad or untrusted key, 1006 no task of that type, 1008 text too long, 1009 duplicate text,
          1011 already replied, 2001 message not found, 2100 task not found, 2101 expired, 2104 not acknowledged, 2105 already done,
          2106 someone else&apos;s task, 429 too many requests, 4001 user disabled.
        </p>
      </Section>

      <Section id="client" title="Typed client (tRPC)" description="Every procedure of the app, typed end to end, with batching and streaming.">
        <p>
          <code>src/client</code> exports <code>createOpenAssistantClient</code>, the <code>AppRouter</code> type and <code>OpenAssistantError</code>.
          From another TypeScript project, add this repository (for example as a git submodule) and map its source in <code>tsconfig.json</code>
          (<code>{`"paths": {"@/*": ["./open-assistant/src/*"]}`}</code>); then import from <code>open-assistant/src/client</code>.
          It needs <code>@trpc/client</code> 11 and <code>superjson</code>.
        </p>
        <Code>{`import { createOpenAssistantClient, OpenAssistantError } from "open-assistant/src/client";

const oa = createOpenAssistantClient({ url: "http://localhost:3000", apiKey: process.env.OA_API_KEY!,
  user: { id: "1234567", displayName: "Ada", authMethod: "discord" } });
const task = await oa.tasks.request.mutate({ type: "random", lang: "en" });   // task.createdAt is a Date
await oa.tasks.ack.mutate({ taskId: task.id, frontendMessageId: "my-message-1" });
oa.chat.streamReply.subscribe({ messageId }, { onData: ({ data }) => console.log(data) });  // SSE`}</Code>
      </Section>

      <Section id="rest" title="REST API (original backend)" description="The original /api/v1, at this app's /api/v1: same paths, JSON and error codes.">
        <RouteTable routes={backendRoutes} prefix="/api/v1" />
      </Section>

      <Section id="chat" title="Chat API (original inference server)" description="The original inference server's chat routes, at this app's origin.">
        <p>
          Streams are server-sent events, one <code>{`data: {"event_type": …}`}</code> line each: <code>pending</code> (queue position),
          <code> token</code>, then <code>message</code> (the final reply) or <code>error</code>, after which the stream ends. When no worker
          serves the model, the stream says so at once (<code>{`"reason": "no_worker"`}</code>) and withdraws the request.
        </p>
        <RouteTable routes={inferenceRoutes} prefix="" />
      </Section>

      <Section id="examples" title="Examples" description="Runnable, in the repository's examples/ folder.">
        <ul className="list-disc space-y-1 ps-5">
          <li><code>examples/request-task.ts</code>: request a task, acknowledge it and answer it as a named user (typed client).</li>
          <li><code>examples/chat-stream.ts</code>: create a chat, post a message and print the streamed answer (typed client).</li>
          <li><code>examples/discord-bot.ts</code>: a Discord-style bot loop serving tasks to several users.</li>
          <li><code>examples/python/request_task.py</code> and <code>chat_stream.py</code>: the original REST examples, unchanged but for the base URL.</li>
        </ul>
        <Code>{`npm run dev                                                # keys 1234 and 0000 exist in development
OA_URL=http://localhost:3000 npx tsx examples/request-task.ts
OA_URL=http://localhost:3000 python3 examples/python/chat_stream.py`}</Code>
      </Section>

      <Section id="differences" title="Differences from the original" description="Where the original had a bug, this API behaves correctly.">
        <ul className="list-disc space-y-1 ps-5">
          <li>Acknowledging or declining someone else&apos;s task is refused (2106) when <code>x-oasst-user</code> is sent; tasks are always scoped to your key.</li>
          <li>Skipped tasks cannot be answered; a message id can be bound to one task only (2000, not a 500).</li>
          <li>A reply takes its tree&apos;s language and a prompt its task&apos;s, whatever <code>lang</code> the interaction says, so trees never mix languages.</li>
          <li>Undelete needs a trusted key; non-trusted keys see neither authors&apos; ids nor other clients&apos; frontend ids.</li>
          <li><code>PUT /chats/hide_all</code> works; a message of another chat is &quot;not found&quot; (404, not 500); votes outside −1…1 are a 422.</li>
          <li>Chat streams end on every final state (the original kept cancelled and timed-out streams open).</li>
          <li><code>message_rating</code> (for a task type never handed out) and collective tasks are refused; <code>/tasks/close</code> does not exist.</li>
          <li>A message edit obeys the limits of a new message (empty: 1010, too long: 1008); the original skipped the size check.</li>
          <li><code>/users/{"{id}"}/stats/{"{time_frame}"}</code> answers zeros for a frame without activity (the original answered 500), and the
            window around a user has <code>window_size</code> rows (the original returned one more).</li>
          <li>Message lists (<code>/messages</code>, <code>/messages/cursor</code>, the users&apos; lists) show deleted messages to trusted keys only;
            other keys list their own messages and users, as in the original. <code>search_query</code> uses PostgreSQL&apos;s simple text search.</li>
          <li>Any key may record its own user&apos;s acceptance of the terms (<code>tos_acceptance</code> on <code>POST /frontend_users</code>); the other
            flags still need a trusted key.</li>
        </ul>
        <p>
          See also the <a className="underline underline-offset-4" href="/api/v1/openapi.json">OpenAPI document</a>.
        </p>
      </Section>
    </div>
  );
}
