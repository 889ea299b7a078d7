import { EVENT_TYPES } from '../../src/events/event-types';

/**
 * Every event the server publishes, from its own list (src/events/event-types.ts): what a subscription can
 * ask for and what the live stream sends. `ping` is the stream's keep-alive, not news.
 */
export const PUBLISHED_EVENTS = EVENT_TYPES.filter((t) => t !== 'ping');
