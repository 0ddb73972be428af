/**
 * Signed Slack request builders and payload fixtures in Slack's real shapes (slash command form body,
 * block_actions, view_submission, event_callback app_home_opened, url_verification). The implementation
 * lives in src/demo/slack-requests.ts because `npm run demo` plays its consultation through the same
 * signed requests and test/ is not shipped (.dockerignore); the source of each shape is documented there.
 */
export * from '../../src/demo/slack-requests.ts';
