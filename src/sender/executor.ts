/**
 * The executor: performs one planned keyCRM call with the handler of its
 * kind, which records what the call achieved in the run state (pushed
 * values, ids, creations); returns the SKUs that failed permanently or must
 * be retried later. Creates whose outcome is unknown are resolved by looking
 * the SKUs up before anything is sent again, so retries never duplicate a SKU.
 */
import { KeyCrmAuthError } from '../keycrm/errors.js';
import { performOffers, performStocks } from './execute/bulk-updates.js';
import { performCategories } from './execute/categories.js';
import {
	describe,
	isTransient,
	type CallOutcome,
	type ExecContext,
} from './execute/context.js';
import { performCreateOffers, performImport } from './execute/creations.js';
import { performLookup } from './execute/lookup.js';
import {
	performCreateParent,
	performUpdateProduct,
} from './execute/products.js';
import type { PlannedCall } from './plan.js';

export type {
	CallOutcome,
	ExecContext,
	SkuFailure,
} from './execute/context.js';

/** The handler of one kind of call. */
type Handler< C extends PlannedCall > = (
	call: C,
	ctx: ExecContext,
	out: CallOutcome
) => Promise< void >;

/** One handler per kind of call. */
const HANDLERS: {
	[ K in PlannedCall[ 'kind' ] ]: Handler<
		Extract< PlannedCall, { kind: K } >
	>;
} = {
	stocks: performStocks,
	offers: performOffers,
	lookup: performLookup,
	import: performImport,
	createOffers: performCreateOffers,
	createParent: performCreateParent,
	updateProduct: performUpdateProduct,
	categories: performCategories,
};

/**
 * Perform one planned call.
 *
 * @param call The call.
 * @param ctx  Context.
 */
export async function execute(
	call: PlannedCall,
	ctx: ExecContext
): Promise< CallOutcome > {
	const before = ctx.client.stats().total;
	const out: CallOutcome = { failed: [], retry: [], requests: 0 };
	const handler = HANDLERS[ call.kind ] as Handler< PlannedCall >;
	try {
		await handler( call, ctx, out );
	} catch ( error ) {
		if ( error instanceof KeyCrmAuthError ) {
			throw error;
		}
		const d = describe( error );
		( isTransient( error ) ? out.retry : out.failed ).push(
			...callSkus( call ).map( ( sku ) => ( { sku, ...d } ) )
		);
	}
	out.requests = ctx.client.stats().total - before;
	return out;
}

/**
 * SKUs whose outcome depends on a call.
 *
 * @param call The call.
 */
export function callSkus( call: PlannedCall ): string[] {
	switch ( call.kind ) {
		case 'stocks':
		case 'offers':
			return call.rows.map( ( r ) => r.sku );
		case 'updateProduct':
			return [ call.sku, ...( call.also ?? [] ) ];
		default:
			return call.skus;
	}
}
