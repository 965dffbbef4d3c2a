import {existsSync} from 'node:fs';

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags every browser test starts Chromium with (no background traffic off this machine). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Throws, saying how to get it, when Chromium is not installed. */
export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium was not found at ${CHROMIUM}. Install Debian's package:\n  sudo apt-get update && sudo ` +
        `apt-get install -y chromium\nor point CHROMIUM_PATH at a Chromium or Chrome binary.`,
    );
}
