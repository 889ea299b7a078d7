/**
 * What the `tradehook` package exports for Node programs that receive its notifications. The servers
 * themselves start from `dist/main/web.js` and `dist/main/worker.js`.
 */
export { verifyNotification, type VerifyNotificationInput } from './notify/signing';
