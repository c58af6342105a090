/**
 * How every test and benchmark runs Debian's Chromium (never a downloaded browser): headless, without
 * the background services that this closed network refuses, and with the WebRTC/fake-media switches
 * the live-streaming tests need.
 */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Live video: WebRTC between local pages (no candidates on a loopback-only host without this),
  // a fake camera and microphone, no permission prompt, and playback with sound.
  "--allow-loopback-in-peer-connection",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
];
