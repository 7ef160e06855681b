/**
 * What the sender knows about SKUs beyond the claimed snapshots: progress made
 * in this run (what was pushed, ids learned, creations) and facts learned from
 * keyCRM (lookups, the offer census). The planner reads it; only the executor
 * writes it. Entries are dropped when their SKU is acknowledged, so memory
 * follows the work in hand, not the catalogue.
 */

/** Whether keyCRM holds an offer with this SKU. */
export type Existence = 'yes' | 'no' | 'unknown';

/** Progress and facts for one SKU in hand. */
export interface SkuState {
	/** Set by lookups, the census, creations; `unknown` after an unknown create outcome. */
	exists?: Existence;
	offerId?: number | null;
	productId?: number | null;
	/** Values keyCRM now holds because this run sent them. */
	pushedStock?: number | null;
	offerHash?: string | null;
	productHash?: string | null;
	/** Created by this run (its stock is not urgent: it was never sellable in keyCRM). */
	created?: boolean;
}

/** Ids of one keyCRM offer. */
export interface OfferIds {
	offerId: number;
	productId: number;
}

/** Read-only view the planner gets. */
export interface Knowledge {
	/** Per-SKU progress and facts of the SKUs in hand. */
	readonly skus: ReadonlyMap< string, SkuState >;
	/** WooCommerce parent product id → keyCRM product id (variable products). */
	readonly parents: ReadonlyMap< number, number >;
	/**
	 * The offer census, when one was taken: every SKU keyCRM held at that
	 * time. A SKU absent from a complete census does not exist in keyCRM
	 * (creations since then are tracked in `skus` and in the outbox).
	 */
	readonly census: ReadonlyMap< string, OfferIds > | null;
	/**
	 * keyCRM ids of the category paths this run found or created (key:
	 * `categoryPathKey` of the level names).
	 */
	readonly categories?: ReadonlyMap< string, number >;
	/** keyCRM category ids keyCRM rejected in this run (their paths are found again). */
	readonly staleCategories?: ReadonlySet< number >;
	/** SKUs whose existence must be checked before any create (overrides the census). */
	readonly uncertain?: ReadonlySet< string >;
	/** A census is being taken: SKUs of unknown existence wait for it instead of being looked up. */
	readonly censusPending?: boolean;
}

/** An empty knowledge (nothing learned yet). */
export function emptyKnowledge(): Knowledge {
	return { skus: new Map(), parents: new Map(), census: null };
}
