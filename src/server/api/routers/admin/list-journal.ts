import { moderatorProcedure } from "@/server/api/trpc";
import { listStaffJournal, ZJournalFilter, ZJournalPage } from "@/server/domain/admin/journal";

/** Moderator and admin actions, newest first, by actor, subject user, message or event type. */
export const listJournalRoute = moderatorProcedure
  .input(ZJournalFilter)
  .output(ZJournalPage)
  .query(({ ctx, input }) => listStaffJournal(ctx.db, input));
