/** Rows per leaderboard page (the website showed 20). Shared by the server page's prefetch and the client view. */
export const LEADERBOARD_PAGE_SIZE = 20;
