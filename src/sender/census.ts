/**
 * The offer census: when many SKUs of unknown existence are waiting, one
 * cheap probe (`GET /offers?limit=50`) tells how big keyCRM's catalogue is;
 * if scanning it whole costs fewer requests than looking the SKUs up in
 * chunks of 50, the sender scans it, a few pages per slice (so live stock
 * changes keep flowing meanwhile), and then knows without further requests
 * which SKUs exist. An empty keyCRM costs one request in all.
 */
import type { KeyCrmClient } from '../keycrm/client.js';
import { scanIsCheaper } from '../keycrm/read-cost.js';
import { KEYCRM_LIMITS, type Offer } from '../keycrm/schemas.js';
import type { OfferIds } from './state.js';

/**
 * SKU → ids of the offers a census saw, kept compactly: one Map entry per SKU
 * pointing at a slot of two growable id columns (about 60 % of a Map of id
 * objects; a census of 100,000 offers takes ~7 MB). Ids are built on `get`.
 */
export class CensusIndex implements ReadonlyMap< string, OfferIds > {
	private readonly slots = new Map< string, number >();
	private offers = new Float64Array( 64 );
	private products = new Float64Array( 64 );

	get size(): number {
		return this.slots.size;
	}

	/**
	 * Record the first offer seen with a SKU (later ones are duplicates).
	 *
	 * @param sku SKU.
	 * @param ids Its ids.
	 */
	add( sku: string, ids: OfferIds ): void {
		if ( this.slots.has( sku ) ) {
			return;
		}
		const slot = this.slots.size;
		if ( slot === this.offers.length ) {
			this.offers = grow( this.offers );
			this.products = grow( this.products );
		}
		this.offers[ slot ] = ids.offerId;
		this.products[ slot ] = ids.productId;
		this.slots.set( sku, slot );
	}

	has( sku: string ): boolean {
		return this.slots.has( sku );
	}

	get( sku: string ): OfferIds | undefined {
		const slot = this.slots.get( sku );
		return slot === undefined ? undefined : this.at( slot );
	}

	forEach(
		fn: (
			ids: OfferIds,
			sku: string,
			map: ReadonlyMap< string, OfferIds >
		) => void
	): void {
		this.slots.forEach( ( slot, sku ) => fn( this.at( slot ), sku, this ) );
	}

	*entries(): MapIterator< [ string, OfferIds ] > {
		for ( const [ sku, slot ] of this.slots ) {
			yield [ sku, this.at( slot ) ];
		}
	}

	keys(): MapIterator< string > {
		return this.slots.keys();
	}

	*values(): MapIterator< OfferIds > {
		for ( const slot of this.slots.values() ) {
			yield this.at( slot );
		}
	}

	[ Symbol.iterator ](): MapIterator< [ string, OfferIds ] > {
		return this.entries();
	}

	private at( slot: number ): OfferIds {
		return {
			offerId: this.offers[ slot ] ?? 0,
			productId: this.products[ slot ] ?? 0,
		};
	}
}

/**
 * A copy of `a` with twice the room.
 *
 * @param a Column.
 */
function grow( a: Float64Array ): Float64Array< ArrayBuffer > {
	const next = new Float64Array( a.length * 2 );
	next.set( a );
	return next;
}

/** A census being taken. */
export class CensusScan {
	private readonly index = new CensusIndex();
	private nextPage = 2;

	private constructor(
		private readonly lastPage: number,
		first: readonly Offer[]
	) {
		first.forEach( ( o ) => this.add( o ) );
	}

	/**
	 * Probe keyCRM and start a census if it is the cheaper way; null when
	 * looking the SKUs up is cheaper.
	 *
	 * @param client        keyCRM client.
	 * @param unknownInHand SKUs in hand whose existence nobody knows.
	 * @param backlog       Dirty rows still waiting in the outbox.
	 */
	static async start(
		client: KeyCrmClient,
		unknownInHand: number,
		backlog: number
	): Promise< CensusScan | null > {
		const size = KEYCRM_LIMITS.pageSize;
		const first = await client.listOffers( { limit: size, page: 1 } );
		return scanIsCheaper(
			Math.ceil( first.total / size ),
			unknownInHand + backlog
		)
			? new CensusScan( Math.max( 1, first.last_page ), first.data )
			: null;
	}

	/** Whether every page was read. */
	complete(): boolean {
		return this.nextPage > this.lastPage;
	}

	/**
	 * Read up to `pages` more pages.
	 *
	 * @param client keyCRM client.
	 * @param pages  Pages (requests) to spend now.
	 */
	async step( client: KeyCrmClient, pages: number ): Promise< void > {
		for ( let i = 0; i < pages && ! this.complete(); i++ ) {
			const page = await client.listOffers( {
				limit: KEYCRM_LIMITS.pageSize,
				page: this.nextPage,
			} );
			page.data.forEach( ( o ) => this.add( o ) );
			this.nextPage =
				page.data.length === 0 ? this.lastPage + 1 : this.nextPage + 1;
		}
	}

	/** SKU → ids of every offer seen. */
	result(): CensusIndex {
		return this.index;
	}

	private add( o: Offer ): void {
		if ( o.sku !== null ) {
			this.index.add( o.sku, { offerId: o.id, productId: o.product_id } );
		}
	}
}

/** What the census keeper needs to see of a SKU in hand. */
export interface CensusCandidate {
	/** Nobody knows whether keyCRM holds it. */
	unknown: boolean;
	/** The outbox shows an earlier sync (so keyCRM is not empty). */
	evidence: boolean;
}

/**
 * Decides once per run whether to take a census, then advances it a few
 * pages per slice. Writes `census` / `censusPending` of the run state.
 */
export class CensusKeeper {
	private tried = false;
	private scan: CensusScan | null = null;

	/** Decided and finished: nothing more to do this run. */
	settled(): boolean {
		return this.tried && this.scan === null;
	}

	/**
	 * One step: maybe start, maybe read a few pages.
	 *
	 * @param client              keyCRM client.
	 * @param candidates          SKUs in hand.
	 * @param backlog             Dirty rows waiting in the outbox.
	 * @param state               Run state to update.
	 * @param state.census        Census map (set when complete).
	 * @param state.censusPending Whether a census is under way.
	 * @param pagesPerStep        Pages per call.
	 */
	async tick(
		client: KeyCrmClient,
		candidates: Iterable< CensusCandidate >,
		backlog: number,
		state: {
			census: ReadonlyMap< string, OfferIds > | null;
			censusPending: boolean;
		},
		pagesPerStep = 3
	): Promise< void > {
		if ( ! this.tried ) {
			let unknown = 0;
			for ( const c of candidates ) {
				if ( c.evidence ) {
					// keyCRM already holds SKUs of this shop: a census would be large; look SKUs up.
					this.tried = true;
					return;
				}
				unknown += c.unknown ? 1 : 0;
			}
			if ( unknown < KEYCRM_LIMITS.pageSize ) {
				return;
			}
			this.tried = true;
			this.scan = await CensusScan.start( client, unknown, backlog );
		} else if ( this.scan ) {
			await this.scan.step( client, pagesPerStep );
		}
		if ( this.scan?.complete() ) {
			state.census = this.scan.result();
			this.scan = null;
		}
		state.censusPending = this.scan !== null;
	}
}
