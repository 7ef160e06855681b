/**
 * One step of the offer census from the worker loop: which SKUs in hand are
 * still unknown (and whether keyCRM has seen them before), the census tick,
 * its requests counted, and its failure turned into lookups (or, for a
 * rejected key, into the worker's fatal error).
 */
import type { ClaimedItem } from '../contract/plugin-rest.js';
import type { KeyCrmClient } from '../keycrm/client.js';
import { KeyCrmAuthError } from '../keycrm/errors.js';
import type { CensusKeeper } from './census.js';
import type { Logger } from './logger.js';
import type { WorkerMetrics } from './metrics.js';
import { existence } from './plan/work.js';
import type { RunState } from './run-state.js';
import { errorMessage, WorkerFatalError } from './worker-options.js';

/** What a census step works with. */
export interface CensusStep {
	census: CensusKeeper;
	client: KeyCrmClient;
	/** Claimed items in hand. */
	items: readonly ClaimedItem[];
	state: RunState;
	backlog: number;
	metrics: WorkerMetrics;
	logger: Logger;
}

/**
 * Start or advance the census (see census.ts).
 *
 * @param s What the step works with.
 */
export async function advanceCensus( s: CensusStep ): Promise< void > {
	const candidates = s.items
		.filter( ( item ) => ! item.retired && item.type !== 'variable' )
		.map( ( item ) => ( {
			unknown:
				existence( item, s.state.skus.get( item.sku ), s.state ) ===
				'unknown',
			evidence:
				item.pushed_offer_hash !== null ||
				item.keycrm_offer_id !== null,
		} ) );
	const before = s.client.stats().total;
	try {
		await s.census.tick( s.client, candidates, s.backlog, s.state, 2 );
	} catch ( error ) {
		if ( error instanceof KeyCrmAuthError ) {
			throw new WorkerFatalError(
				`keyCRM rejected the API key: ${ error.message }`
			);
		}
		s.state.censusPending = false;
		s.logger.log( 'warn', 'offer census failed; looking SKUs up instead', {
			error: errorMessage( error ),
		} );
	}
	s.metrics.request( s.client.stats().total - before );
}
