/**
 * How every Playwright config launches the browser: Debian's Chromium (no browser is ever downloaded — the machine
 * has no internet), headless and quiet on the network.
 */
export const debianChromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
