/**
 * What the SKUs in hand cost in keyCRM calls and time, for the claimer to
 * size its claims: non-bulk calls left in the plan, calls per SKU lately
 * (decaying per slice) and clock ms per call.
 */
import type { Plan, PlannedCall } from './plan.js';

/**
 * Requests the non-bulk calls will take: a variable product's creation is
 * followed by the creation of its variations (≤100 per request).
 *
 * @param calls Planned calls.
 */
function queueWeight( calls: readonly PlannedCall[] ): number {
	let n = 0;
	for ( const c of calls ) {
		if ( c.kind === 'createParent' ) {
			n += 1 + Math.ceil( c.skus.length / 100 );
		} else if ( c.kind !== 'stocks' && c.kind !== 'offers' ) {
			n++;
		}
	}
	return n;
}

/** See the module docblock. */
export class HandCost {
	/** Non-bulk calls (creations, lookups, product updates) left after the latest slice. */
	private queued = 0;
	/** SKUs of the latest plan whose existence a lookup must tell (their work is not known yet). */
	private unknown = 0;
	/**
	 * Non-bulk calls sent and SKUs that left the hand, both decaying per slice: their ratio is
	 * what a SKU has cost lately, work revealed by lookups and parents included. SKUs leave
	 * the hand after their calls, so the ratio errs high while work is in flight.
	 */
	private readonly cost = { calls: 0, skus: 0 };
	/** Clock ms a keyCRM call has taken lately, waits for the budget included (null before any). */
	private callMs: number | null = null;

	/**
	 * A slice planned `first` and sends `calls`.
	 *
	 * @param first The slice's plan.
	 * @param calls The calls it sends.
	 */
	sliced( first: Plan, calls: readonly PlannedCall[] ): void {
		const queued = queueWeight( first.calls );
		this.unknown = first.calls.reduce(
			( n, c ) => n + ( c.kind === 'lookup' ? c.skus.length : 0 ),
			0
		);
		const sent = queueWeight( calls );
		this.queued = Math.max( 0, queued - sent );
		this.cost.calls = this.cost.calls * 0.95 + sent;
		this.cost.skus *= 0.95;
	}

	/** A SKU left the hand. */
	left(): void {
		this.cost.skus++;
	}

	/**
	 * Calls took `ms` clock ms.
	 *
	 * @param ms    Clock ms.
	 * @param calls How many calls.
	 */
	timed( ms: number, calls: number ): void {
		if ( calls > 0 ) {
			const sample = ms / calls;
			this.callMs =
				this.callMs === null
					? sample
					: ( this.callMs * 3 + sample ) / 4;
		}
	}

	/**
	 * Non-bulk calls the SKUs in hand still need.
	 *
	 * @param inHand  SKUs in hand.
	 * @param settled Whether the census is settled.
	 */
	queuedCalls( inHand: number, settled: boolean ): number {
		// SKUs waiting for the census or a lookup have no calls planned yet: count them at the
		// measured cost, or at the dearest kind (a variable product's SKUs need ~1 call in 3).
		const waiting = settled ? this.unknown : inHand;
		const perSku = Math.max( this.measuredCost() ?? 0.4, 0.02 );
		return this.queued + Math.ceil( waiting * perSku );
	}

	/**
	 * Calls per SKU lately, 0 when only bulk work is known, null when unknown.
	 *
	 * @param inHand  SKUs in hand.
	 * @param settled Whether the census is settled.
	 */
	callsPerSku( inHand: number, settled: boolean ): number | null {
		const measured = this.measuredCost();
		if ( measured !== null ) {
			return measured;
		}
		// Before 20 SKUs have finished only bulk work is known to be cheap (stock, prices).
		const bulkOnly =
			settled && inHand >= 20 && this.queued === 0 && this.unknown === 0;
		return bulkOnly ? 0 : null;
	}

	/** Clock ms per call lately (null before any). */
	msPerCall(): number | null {
		return this.callMs;
	}

	/** Calls per SKU over the SKUs that left the hand lately (null before 20 did). */
	private measuredCost(): number | null {
		return this.cost.skus >= 20 ? this.cost.calls / this.cost.skus : null;
	}
}
