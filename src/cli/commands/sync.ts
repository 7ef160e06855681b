/**
 * `keycrm-sync sync`: `worker --once` under its own name (see worker.ts).
 */
export { syncCommand } from './worker.js';
