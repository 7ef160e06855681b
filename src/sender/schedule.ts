/**
 * Which planned calls go now (a pure function). Bulk rows are cheap per row
 * and dear per request, so stock and offer-data rows are gathered until a
 * request is full, unless waiting would hurt:
 *
 * - a stock row of a SKU that was already sellable in keyCRM (an order's
 *   stock change, say) waits at most `stockFlushMs` after its claim;
 * - offer-data rows wait at most `offerFlushMs`;
 * - rows whose lease is running out go at once;
 * - when no more work can be claimed (`drain`), everything goes.
 *
 * Stock of SKUs created in this run is not urgent (keyCRM never sold them),
 * so a big initial push sends one stock request per 10,000 new SKUs.
 * Other calls (lookups, creations, product updates) go in plan order, at
 * most `budget` per slice, so the worker comes back to claim live changes
 * every few seconds; a part-filled import or lookup waits briefly for the
 * next claims to fill it.
 */
import { KEYCRM_LIMITS } from '../keycrm/schemas.js';
import type { Plan, PlannedCall } from './plan.js';

/** Timing of one SKU in hand. */
export interface SkuTiming {
	/** Clock time of its claim. */
	claimedAt: number;
	/** Clock time its lease ends. */
	leaseEndsAt: number;
}

/** Scheduling parameters. */
export interface ScheduleOptions {
	now: number;
	timing: ( sku: string ) => SkuTiming | undefined;
	/** No more work to claim now: send everything. */
	drain: boolean;
	/** Most non-bulk calls per slice. */
	budget: number;
	stockFlushMs: number;
	offerFlushMs: number;
	/** Rows whose lease ends within this go at once. */
	leaseMarginMs: number;
	/** Send every bulk row now (stopping). */
	flushAll?: boolean;
	/** Rows of SKUs created in this run that fill a request worth sending (default 2000). */
	createdFlushRows?: number;
	/** A non-bulk call that must not go yet (it takes no room in this slice's budget). */
	held?: ( call: PlannedCall ) => boolean;
}

/**
 * Whether a bulk call's rows must go now.
 *
 * @param rows        Rows with SKUs (and urgency for stock).
 * @param limit       Rows per request.
 * @param flushMs     Longest wait of an urgent row.
 * @param othersExist The plan still has creations, lookups or product updates.
 * @param o           Options.
 */
function bulkDue(
	rows: Array< { sku: string; urgent?: boolean } >,
	limit: number,
	flushMs: number,
	othersExist: boolean,
	o: ScheduleOptions
): boolean {
	if ( o.flushAll || rows.length >= limit || ( o.drain && ! othersExist ) ) {
		return true;
	}
	if (
		rows.filter( ( r ) => r.urgent === false ).length >=
		( o.createdFlushRows ?? 2000 )
	) {
		return true;
	}
	return rows.some( ( r ) => {
		const t = o.timing( r.sku );
		if ( ! t || t.leaseEndsAt - o.now <= o.leaseMarginMs ) {
			return true;
		}
		// Rows of SKUs created in this run wait for a full request or the end of the creations.
		// A live stock change goes at once while other work keeps the slices busy (nothing to batch it with).
		const busy = othersExist && r.urgent === true;
		return (
			r.urgent !== false &&
			( o.drain || busy || o.now - t.claimedAt >= flushMs )
		);
	} );
}

/**
 * Whether a part-filled import or lookup waits for the SKUs the next claims bring (the
 * planner fills requests with what is in hand; a claim boundary would otherwise cost a
 * request). It goes when nothing more is coming (`drain`), after `offerFlushMs`, or when a
 * lease runs short; an import also waits while lookups in the plan may add SKUs to it.
 *
 * @param call           Planned call.
 * @param o              Options.
 * @param lookupsPlanned The plan has lookups (they may tell more SKUs to create).
 */
function waitsToFill(
	call: PlannedCall,
	o: ScheduleOptions,
	lookupsPlanned: boolean
): boolean {
	if ( ( call.kind !== 'import' && call.kind !== 'lookup' ) || o.flushAll ) {
		return false;
	}
	const full =
		call.kind === 'import'
			? KEYCRM_LIMITS.importProducts
			: KEYCRM_LIMITS.pageSize;
	if ( call.skus.length >= full ) {
		return false;
	}
	// Lookups in this plan will tell more SKUs to create: an import waits for them.
	const filling = call.kind === 'import' && lookupsPlanned;
	return call.skus.every( ( sku ) => {
		const t = o.timing( sku );
		return (
			t !== undefined &&
			t.leaseEndsAt - o.now > o.leaseMarginMs &&
			( filling || ( ! o.drain && o.now - t.claimedAt < o.offerFlushMs ) )
		);
	} );
}

/**
 * The calls to perform in this slice, in order.
 *
 * @param plan The plan of everything in hand.
 * @param o    Options.
 */
export function selectCalls( plan: Plan, o: ScheduleOptions ): PlannedCall[] {
	const now: PlannedCall[] = [];
	const othersExist = plan.calls.some(
		( c ) => c.kind !== 'stocks' && c.kind !== 'offers'
	);
	let others = 0;
	const lookupsPlanned = plan.calls.some( ( c ) => c.kind === 'lookup' );
	for ( const call of plan.calls ) {
		if ( call.kind === 'stocks' ) {
			if (
				bulkDue(
					call.rows,
					KEYCRM_LIMITS.updateStocks,
					o.stockFlushMs,
					othersExist,
					o
				)
			) {
				now.push( call );
			}
		} else if ( call.kind === 'offers' ) {
			if (
				bulkDue(
					call.rows.map( ( r ) => ( { sku: r.sku } ) ),
					KEYCRM_LIMITS.updateOffers,
					o.offerFlushMs,
					othersExist,
					o
				)
			) {
				now.push( call );
			}
		} else if (
			others < o.budget &&
			! o.held?.( call ) &&
			! waitsToFill( call, o, lookupsPlanned )
		) {
			now.push( call );
			others++;
		}
	}
	return now;
}
