/**
 * The mutable side of `Knowledge`: the executor records progress here and
 * the worker forgets a SKU once it is acknowledged, so memory follows the
 * work in hand. Two small process-lifetime sets survive acks: variable
 * products created (WooCommerce parent id → keyCRM product id, bounded) and
 * SKUs whose existence in keyCRM is uncertain (an unresolved create, or a
 * create whose ack did not reach WordPress): those are looked up before any
 * create, even when the census says they are absent.
 */
import type { CategoryTree } from '../push/categories.js';
import type { Knowledge, OfferIds, SkuState } from './state.js';

/** Most parent ids remembered (oldest dropped first). */
const MAX_PARENTS = 100_000;

/** A Map that drops its oldest entry beyond `max` entries. */
class BoundedMap< K, V > extends Map< K, V > {
	constructor( private readonly max: number ) {
		super();
	}

	override set( key: K, value: V ): this {
		if ( ! this.has( key ) && this.size >= this.max ) {
			const oldest = this.keys().next();
			if ( ! oldest.done ) {
				this.delete( oldest.value );
			}
		}
		return super.set( key, value );
	}
}

/** Progress and facts of one sender run. */
export class RunState implements Knowledge {
	readonly skus = new Map< string, SkuState >();
	readonly parents: Map< number, number > = new BoundedMap< number, number >(
		MAX_PARENTS
	);
	census: ReadonlyMap< string, OfferIds > | null = null;
	censusPending = false;
	/** SKUs that must be looked up before any create. */
	readonly uncertain = new Set< string >();
	/** keyCRM ids of category paths found or created in this run. */
	readonly categories = new Map< string, number >();
	/** keyCRM's category tree, once read in this run (created categories added). */
	categoryTree: CategoryTree | null = null;
	/** Remembered keyCRM category ids keyCRM rejected (deleted there): their paths are found again. */
	readonly staleCategories = new Set< number >();

	/**
	 * Merge facts into a SKU's state.
	 *
	 * @param sku   SKU.
	 * @param patch Fields to set.
	 */
	patch( sku: string, patch: SkuState ): void {
		const next = { ...this.skus.get( sku ), ...patch };
		this.skus.set( sku, next );
		if ( patch.exists === 'unknown' ) {
			this.uncertain.add( sku );
		} else if ( patch.exists !== undefined ) {
			this.uncertain.delete( sku );
		}
	}

	/**
	 * Forget a SKU's progress (after its ack). With `keepUncertain`, a SKU
	 * created in this run stays marked uncertain (its ack may not have landed).
	 *
	 * @param sku           SKU.
	 * @param keepUncertain Remember a creation as uncertain.
	 */
	forget( sku: string, keepUncertain = false ): void {
		if ( keepUncertain && this.skus.get( sku )?.created ) {
			this.uncertain.add( sku );
		}
		this.skus.delete( sku );
	}
}
