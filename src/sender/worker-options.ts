/**
 * The sender worker's public types: its options, the plugin routes it needs,
 * and the fatal error it stops with.
 */
import type { ClaimRequest, ClaimResponse } from '../contract/plugin-rest.js';
import type { KeyCrmClient } from '../keycrm/client.js';
import type { Clock } from '../util/clock.js';
import type { PluginClientOptions } from '../wordpress/plugin-client.js';
import type { AckSink } from './acks.js';
import type { DesiredOptions } from './desired.js';
import type { Logger } from './logger.js';

/** The sender's view of the plugin's claim route. */
export interface ClaimSource extends AckSink {
	claim: ( req: ClaimRequest ) => Promise< ClaimResponse >;
}

/** Builds the keyCRM client for a key and budget (called again when they change). */
export type ClientFactory = (
	apiKey: string,
	ratePerMinute: number,
	signal: AbortSignal
) => KeyCrmClient;

/** How to reach the plugin's stock-pull routes (the same site and application password as claims). */
export type SiteAccess = Omit< PluginClientOptions, 'signal' >;

/** Worker options. */
export interface WorkerOptions {
	plugin: ClaimSource;
	makeClient: ClientFactory;
	clock: Clock;
	logger: Logger;
	/** Overrides the plugin's API key (KEYCRM_API_KEY). */
	apiKey?: string;
	/** Most SKUs per claim (default 2000). */
	batch?: number;
	/** Most SKUs in hand (default 12000). */
	maxInHand?: number;
	leaseSeconds?: number;
	/** Exit when nothing is left (sync --once). */
	once?: boolean;
	workerId?: string;
	version?: string;
	desired?: DesiredOptions;
	/** Most non-bulk calls between two claims (default 5). */
	sliceCalls?: number;
	stockFlushMs?: number;
	offerFlushMs?: number;
	/** Idle polling bounds (clock ms). */
	pollMinMs?: number;
	pollMaxMs?: number;
	/** Progress line callback (TTY). */
	onProgress?: ( line: string ) => void;
	/**
	 * The site, for the periodic keyCRM → shop stock pull (src/pull). Without it the worker
	 * never pulls.
	 */
	site?: SiteAccess;
	/** Minimum clock ms between two "is a stock pull due?" questions (default 30 s). */
	pullCheckEveryMs?: number;
}

/** Thrown when the worker cannot go on (bad key, bad password): a plain message for the user. */
export class WorkerFatalError extends Error {
	override name = 'WorkerFatalError';
}

/**
 * The message of any thrown value.
 *
 * @param error Thrown value.
 */
export function errorMessage( error: unknown ): string {
	return error instanceof Error ? error.message : String( error );
}
