/**
 * An in-memory model of the plugin's outbox and its sender routes
 * (POST /worker/claim, POST /worker/ack), following DESIGN §3: one row per
 * SKU, `version` bumped on every change, atomic claims with expiring leases,
 * live edits claimed ahead of bulk (resync) rows, acks that never lose a
 * newer change, failures backed off. The catalogue is a small WooCommerce
 * model (simple, variable, variations; renames and deletes) whose current
 * values are read at claim time. Served over HTTP by fake-shop-http.ts.
 */
/* eslint-disable no-bitwise -- change_mask is a bit field, as in the outbox table. */
import type {
	AckRequest,
	AckResponse,
	CategoryLevel,
	CategoryRecord,
	ClaimedItem,
	ClaimRequest,
	ClaimResponse,
	Heartbeat,
	SenderSettings,
} from '@keycrm-sync/contract';
import type { Clock } from '../../src/util/clock';
import { makeSettings } from './fake-shop-items';

/** A WooCommerce product in the model. */
export interface ShopProduct {
	id: number;
	type: 'simple' | 'variable' | 'variation';
	parentId: number | null;
	sku: string | null;
	name: string;
	price: number | null;
	manageStock: boolean;
	stock: number | null;
	stockStatus: 'instock' | 'outofstock' | 'onbackorder';
	attributes: Array< { name: string; value: string } >;
	/** WordPress status (default publish). */
	status?: string;
	/** Primary product category (a term id of `FakeShop.categories`); a variation's is its parent's. */
	category?: number | null;
}

/** A product category (term) in the model. */
export interface ShopCategory {
	name: string;
	parent: number | null;
}

/**
 * A simple product in stock, with `over` applied (variable products and
 * variations set `type`, `parentId`, `attributes`…).
 *
 * @param sku  SKU.
 * @param over Fields that differ.
 */
export function shopProduct(
	sku: string,
	over: Partial< Omit< ShopProduct, 'id' > > = {}
): Omit< ShopProduct, 'id' > {
	return {
		type: 'simple',
		parentId: null,
		sku,
		name: `Product ${ sku }`,
		price: 10,
		manageStock: true,
		stock: 5,
		stockStatus: 'instock',
		attributes: [],
		...over,
	};
}

/** One outbox row. */
export interface OutboxRow {
	sku: string;
	productId: number | null;
	version: number;
	syncedVersion: number;
	changeMask: number;
	leaseToken: string | null;
	leaseExpiresAt: number;
	attempts: number;
	nextAttemptAt: number;
	state: 'pending' | 'synced' | 'failed' | 'dead';
	lastError: string | null;
	lastCode: string | null;
	keycrmProductId: number | null;
	keycrmOfferId: number | null;
	pushedStock: number | null;
	pushedOfferHash: string | null;
	pushedProductHash: string | null;
	/** Times claimed. */
	claims: number;
	/** The previous lease ended without an ack. */
	reclaimed: boolean;
}

/** Construction options. */
export interface FakeShopOptions {
	clock: Clock;
	settings?: Partial< SenderSettings >;
	/** Fill `parent_keycrm_product_id` from sibling rows (the optional contract field). */
	parentIdHint?: boolean;
}

/** Counters for tests and benchmarks. */
export interface ShopCounters {
	claims: number;
	acks: number;
	acknowledged: number;
	stale: number;
	claimedItems: number;
}

let tokenSeq = 0;

/** The model shop. */
export class FakeShop {
	readonly products = new Map< number, ShopProduct >();
	readonly rows = new Map< string, OutboxRow >();
	settings: SenderSettings;
	heartbeat: Heartbeat | null = null;
	readonly counters: ShopCounters = {
		claims: 0,
		acks: 0,
		acknowledged: 0,
		stale: 0,
		claimedItems: 0,
	};
	private readonly clock: Clock;
	private readonly parentIdHint: boolean;
	private readonly skuIndex = new Map< string, number >();
	/** Product categories by term id. */
	readonly categories = new Map< number, ShopCategory >();
	/** keyCRM categories remembered on the terms (PHP: term meta, by the acks' `categories`). */
	readonly categoryIds = new Map< number, CategoryRecord >();
	/** keyCRM product ids recorded on variable products (PHP: post meta, by `ids-only` results with parent_id). */
	readonly parentProductIds = new Map< number, number >();
	private readonly children = new Map< number, Set< number > >();
	/** Claimable dirty rows in claim order: live first, then bulk (insertion = age). */
	private readonly live = new Map< string, true >();
	private readonly bulk = new Map< string, true >();
	private readonly delayed = new Set< string >();
	private readonly leases = new Map<
		string,
		{ skus: Set< string >; expiresAt: number }
	>();
	private nextId = 1;

	constructor( opts: FakeShopOptions ) {
		this.clock = opts.clock;
		this.settings = makeSettings( opts.settings );
		this.parentIdHint = opts.parentIdHint ?? true;
	}

	/* ---------------------------- catalogue edits ---------------------------- */

	/**
	 * Add a product (and mark its SKU dirty).
	 *
	 * @param p    Product without id.
	 * @param live Live edit (claimed ahead of bulk work) or bulk.
	 */
	add( p: Omit< ShopProduct, 'id' >, live = true ): ShopProduct {
		const product = { ...p, id: this.nextId++ };
		this.products.set( product.id, product );
		if ( product.parentId !== null ) {
			const set = this.children.get( product.parentId ) ?? new Set();
			set.add( product.id );
			this.children.set( product.parentId, set );
		}
		if ( product.sku !== null ) {
			this.skuIndex.set( product.sku, product.id );
			this.touch( product.sku, product.id, 8 | 7, live );
		}
		return product;
	}

	/**
	 * Change fields of a product (stock, price, name…) and mark it dirty.
	 *
	 * @param id    Product id.
	 * @param patch Fields.
	 * @param live  Live edit or bulk.
	 */
	update(
		id: number,
		patch: Partial<
			Omit< ShopProduct, 'id' | 'sku' | 'type' | 'parentId' >
		>,
		live = true
	): void {
		const p = this.mustGet( id );
		Object.assign( p, patch );
		if ( p.sku !== null ) {
			this.touch( p.sku, id, 7, live );
		} else if ( p.type === 'variable' ) {
			// A variable product without a SKU: its variations send its product data.
			for ( const child of this.children.get( id ) ?? [] ) {
				const v = this.products.get( child );
				if ( v?.sku ) {
					this.touch( v.sku, child, 4, live );
				}
			}
		}
	}

	/**
	 * Rename a product's SKU: the old SKU retires, the new one is created.
	 *
	 * @param id     Product id.
	 * @param newSku New SKU.
	 */
	rename( id: number, newSku: string ): void {
		const p = this.mustGet( id );
		if ( p.sku !== null ) {
			this.skuIndex.delete( p.sku );
			this.touch( p.sku, null, 16, true );
		}
		p.sku = newSku;
		this.skuIndex.set( newSku, id );
		this.touch( newSku, id, 8 | 7, true );
	}

	/**
	 * Delete a product (its SKU retires; a variable product takes its variations along).
	 *
	 * @param id Product id.
	 */
	remove( id: number ): void {
		const p = this.mustGet( id );
		for ( const child of [ ...( this.children.get( id ) ?? [] ) ] ) {
			this.remove( child );
		}
		this.children.delete( id );
		if ( p.parentId !== null ) {
			this.children.get( p.parentId )?.delete( id );
		}
		this.products.delete( id );
		if ( p.sku !== null ) {
			this.skuIndex.delete( p.sku );
			this.touch( p.sku, null, 16, true );
		}
	}

	/** Mark every SKU dirty as bulk work ("Resync all"). */
	resyncAll(): void {
		for ( const p of this.products.values() ) {
			if ( p.sku !== null ) {
				this.touch( p.sku, p.id, 31 & ~16, false );
			}
		}
	}

	/**
	 * The product currently holding a SKU.
	 *
	 * @param sku SKU.
	 */
	bySku( sku: string ): ShopProduct | undefined {
		const id = this.skuIndex.get( sku );
		return id === undefined ? undefined : this.products.get( id );
	}

	/** Rows still to be sent (version ahead of what keyCRM holds), dead rows excluded. */
	dirtyCount(): number {
		let n = 0;
		for ( const r of this.rows.values() ) {
			n += r.version > r.syncedVersion && r.state !== 'dead' ? 1 : 0;
		}
		return n;
	}

	private mustGet( id: number ): ShopProduct {
		const p = this.products.get( id );
		if ( ! p ) {
			throw new Error( `no product ${ id }` );
		}
		return p;
	}

	private touch(
		sku: string,
		productId: number | null,
		mask: number,
		live: boolean
	): void {
		let row = this.rows.get( sku );
		if ( ! row ) {
			row = newRow( sku );
			this.rows.set( sku, row );
		}
		row.productId = productId ?? row.productId;
		row.version++;
		row.changeMask |= mask;
		row.state = row.state === 'dead' ? 'pending' : row.state;
		if ( row.state === 'synced' ) {
			row.state = 'pending';
		}
		this.enqueue( row, live );
	}

	private enqueue( row: OutboxRow, live: boolean ): void {
		if ( row.leaseToken !== null || row.version <= row.syncedVersion ) {
			return;
		}
		if ( row.nextAttemptAt > this.clock.now() ) {
			this.delayed.add( row.sku );
			return;
		}
		if ( live ) {
			this.bulk.delete( row.sku );
			this.live.set( row.sku, true );
		} else if ( ! this.live.has( row.sku ) ) {
			this.bulk.set( row.sku, true );
		}
	}

	/* ------------------------------ sender routes ----------------------------- */

	/**
	 * POST /worker/claim.
	 *
	 * @param req Claim request.
	 */
	claim( req: ClaimRequest ): ClaimResponse {
		this.counters.claims++;
		this.heartbeat = req.heartbeat ?? this.heartbeat;
		this.expireLeases();
		const limit = req.limit ?? 100;
		const token = `lease-${ ++tokenSeq }`;
		const expiresAt =
			this.clock.now() + ( req.lease_seconds ?? 300 ) * 1000;
		const items: ClaimedItem[] = [];
		const queues = req.live_only ? [ this.live ] : [ this.live, this.bulk ];
		for ( const queue of queues ) {
			for ( const sku of queue.keys() ) {
				if ( items.length >= limit ) {
					break;
				}
				queue.delete( sku );
				const row = this.rows.get( sku );
				if (
					! row ||
					row.version <= row.syncedVersion ||
					row.state === 'dead' ||
					row.leaseToken !== null
				) {
					continue;
				}
				row.leaseToken = token;
				row.leaseExpiresAt = expiresAt;
				row.claims++;
				items.push( this.snapshot( row ) );
				row.reclaimed = false;
			}
		}
		this.counters.claimedItems += items.length;
		if ( items.length ) {
			this.leases.set( token, {
				skus: new Set( items.map( ( i ) => i.sku ) ),
				expiresAt,
			} );
		}
		return {
			lease_token: items.length ? token : null,
			lease_expires_at: items.length
				? new Date( expiresAt ).toISOString()
				: null,
			settings: this.settings,
			items,
			backlog: this.live.size + this.bulk.size + this.delayed.size,
		};
	}

	/**
	 * POST /worker/ack.
	 *
	 * @param req Ack request.
	 */
	ack( req: AckRequest ): AckResponse {
		this.counters.acks++;
		let acknowledged = 0;
		let stale = 0;
		const lease = this.leases.get( req.lease_token );
		for ( const c of req.categories ?? [] ) {
			if ( this.categories.has( c.term_id ) ) {
				this.categoryIds.set( c.term_id, c );
			}
		}
		for ( const r of req.results ) {
			if ( r.parent_id && r.keycrm_product_id ) {
				this.parentProductIds.set( r.parent_id, r.keycrm_product_id );
			}
			const row = this.rows.get( r.sku );
			if ( ! row || row.leaseToken !== req.lease_token ) {
				// As in PHP: keyCRM ids of a row whose lease was lost are still facts.
				if ( row ) {
					recordIds( row, r );
				}
				stale++;
				continue;
			}
			applyResult( row, r, this.clock.now(), this.settings.max_attempts );
			if ( r.outcome === 'synced' && row.version !== r.version ) {
				stale++;
			} else {
				acknowledged++;
			}
			row.leaseToken = null;
			lease?.skus.delete( r.sku );
			this.enqueue( row, true );
		}
		if ( lease && lease.skus.size === 0 ) {
			this.leases.delete( req.lease_token );
		}
		this.counters.acknowledged += acknowledged;
		this.counters.stale += stale;
		return { acknowledged, stale };
	}

	/**
	 * Add a product category.
	 *
	 * @param name   Name.
	 * @param parent Parent term id.
	 */
	addCategory( name: string, parent: number | null = null ): number {
		const id = 5000 + this.categories.size + 1;
		this.categories.set( id, { name, parent } );
		return id;
	}

	/**
	 * A category's path, root first, with the keyCRM ids remembered for the
	 * levels that keep the name and parent they were matched for (as the plugin).
	 *
	 * @param termId Term id.
	 */
	categoryPath( termId: number | null ): CategoryLevel[] | null {
		const chain: number[] = [];
		for ( let id = termId; id !== null; ) {
			const c = this.categories.get( id );
			if ( ! c || chain.includes( id ) ) {
				break;
			}
			chain.unshift( id );
			id = c.parent;
		}
		let parent: number | null = null;
		let valid = true;
		const path = chain.map( ( id ) => {
			const name = ( this.categories.get( id ) as ShopCategory ).name;
			const known = this.categoryIds.get( id );
			valid =
				valid &&
				known !== undefined &&
				known.name === name &&
				known.parent_keycrm_id === parent;
			parent = valid ? ( known as CategoryRecord ).keycrm_id : null;
			return { term_id: id, name, keycrm_id: parent };
		} );
		return path.length ? path : null;
	}

	/**
	 * Mark every product of a category or its subcategories (a rename or move), as the plugin's capture does.
	 *
	 * @param termId Term id.
	 */
	touchCategory( termId: number ): void {
		const inside = ( id: number | null | undefined ): boolean => {
			for ( let c = id ?? null; c !== null; ) {
				if ( c === termId ) {
					return true;
				}
				c = this.categories.get( c )?.parent ?? null;
			}
			return false;
		};
		for ( const p of this.products.values() ) {
			if ( p.sku && p.type !== 'variation' && inside( p.category ) ) {
				this.touch( p.sku, p.id, 4, true );
			}
		}
	}

	/** Return expired leases' rows and due backed-off rows to the queue. */
	private expireLeases(): void {
		const now = this.clock.now();
		for ( const [ token, lease ] of this.leases ) {
			if ( lease.expiresAt > now ) {
				continue;
			}
			this.leases.delete( token );
			for ( const sku of lease.skus ) {
				const row = this.rows.get( sku );
				if ( row && row.leaseToken === token ) {
					row.leaseToken = null;
					row.reclaimed = true;
					this.enqueue( row, false );
				}
			}
		}
		for ( const sku of this.delayed ) {
			const row = this.rows.get( sku );
			if ( ! row || row.nextAttemptAt <= now ) {
				this.delayed.delete( sku );
				if ( row ) {
					this.enqueue( row, false );
				}
			}
		}
	}

	/**
	 * The claimed view of a row: current product values plus outbox fields.
	 *
	 * @param row Outbox row.
	 */
	snapshot( row: OutboxRow ): ClaimedItem {
		const p = this.bySku( row.sku );
		const parent = p?.parentId
			? this.products.get( p.parentId )
			: undefined;
		return {
			sku: row.sku,
			version: row.version,
			change_mask: row.changeMask,
			retired: ! p,
			product_id: p?.id ?? row.productId,
			parent_id: p?.parentId ?? null,
			parent_sku: parent ? ( parent.sku ?? '' ) : null,
			parent_name: parent?.name ?? null,
			parent_keycrm_product_id:
				p?.parentId && this.parentIdHint
					? ( this.parentProductIds.get( p.parentId ) ??
						this.siblingProductId( p.parentId ) )
					: null,
			type: p?.type ?? null,
			status: p ? ( p.status ?? 'publish' ) : null,
			parent_status: parent ? ( parent.status ?? 'publish' ) : null,
			name: displayName( p, parent ),
			description: null,
			price: p?.price ?? null,
			regular_price: p?.price ?? null,
			sale_price: null,
			purchased_price: null,
			weight: null,
			length: null,
			width: null,
			height: null,
			weight_unit: 'kg',
			dimension_unit: 'cm',
			image_url: null,
			pictures: [],
			category: null,
			category_path: this.categoryPath(
				( parent ?? p )?.category ?? null
			),
			attributes: p?.attributes ?? [],
			manage_stock: p?.manageStock ?? false,
			stock_quantity: p?.stock ?? null,
			stock_status: p?.stockStatus ?? null,
			keycrm_product_id: row.keycrmProductId,
			keycrm_offer_id: row.keycrmOfferId,
			pushed_stock: row.pushedStock,
			pushed_offer_hash: row.pushedOfferHash,
			pushed_product_hash: row.pushedProductHash,
			attempts: row.attempts,
			reclaimed: row.reclaimed,
		};
	}

	/**
	 * keyCRM product id known by any row of a variable product's family.
	 *
	 * @param parentId WooCommerce parent id.
	 */
	private siblingProductId( parentId: number ): number | null {
		for ( const pid of [
			parentId,
			...( this.children.get( parentId ) ?? [] ),
		] ) {
			const sku = this.products.get( pid )?.sku;
			const id = sku ? this.rows.get( sku )?.keycrmProductId : null;
			if ( id ) {
				return id;
			}
		}
		return null;
	}
}

/**
 * A fresh outbox row.
 *
 * @param sku SKU.
 */
function newRow( sku: string ): OutboxRow {
	return {
		sku,
		productId: null,
		version: 0,
		syncedVersion: 0,
		changeMask: 0,
		leaseToken: null,
		leaseExpiresAt: 0,
		attempts: 0,
		nextAttemptAt: 0,
		state: 'pending',
		lastError: null,
		lastCode: null,
		keycrmProductId: null,
		keycrmOfferId: null,
		pushedStock: null,
		pushedOfferHash: null,
		pushedProductHash: null,
		claims: 0,
		reclaimed: false,
	};
}

/**
 * Keep the keyCRM ids reported for a row whose lease was lost (PHP's
 * `record_ids`: non-null ids only; pushed values are not touched).
 *
 * @param row Row.
 * @param r   Result.
 */
function recordIds(
	row: OutboxRow,
	r: AckRequest[ 'results' ][ number ]
): void {
	row.keycrmProductId = r.keycrm_product_id ?? row.keycrmProductId;
	row.keycrmOfferId = r.keycrm_offer_id ?? row.keycrmOfferId;
}

/**
 * Apply one ack result to its (leased) row.
 *
 * @param row         Row.
 * @param r           Result.
 * @param now         Clock time.
 * @param maxAttempts Attempts before `dead`.
 */
function applyResult(
	row: OutboxRow,
	r: AckRequest[ 'results' ][ number ],
	now: number,
	maxAttempts: number
): void {
	const keep = < T >( v: T | undefined, old: T ): T =>
		v === undefined ? old : v;
	row.keycrmProductId = keep( r.keycrm_product_id, row.keycrmProductId );
	row.keycrmOfferId = keep( r.keycrm_offer_id, row.keycrmOfferId );
	row.pushedStock = keep( r.pushed_stock, row.pushedStock );
	row.pushedOfferHash = keep( r.pushed_offer_hash, row.pushedOfferHash );
	row.pushedProductHash = keep(
		r.pushed_product_hash,
		row.pushedProductHash
	);
	if ( r.outcome === 'synced' ) {
		row.attempts = 0;
		// As in PHP: a synced result may say why nothing was sent (settings).
		row.lastError = r.error ?? null;
		row.lastCode = r.code ?? null;
		if ( r.version === row.version ) {
			row.syncedVersion = r.version;
			row.changeMask = 0;
			row.state = 'synced';
		}
		return;
	}
	if ( r.outcome === 'retry' && r.code === 'released' ) {
		// A sender that stops hands back work it did not try: no attempt, no backoff (as in PHP).
		row.nextAttemptAt = 0;
		return;
	}
	row.attempts++;
	row.lastError = r.error ?? null;
	row.lastCode = r.code ?? null;
	const backoff =
		Math.min( 2 ** row.attempts, r.outcome === 'retry' ? 30 : 300 ) * 1000;
	row.nextAttemptAt = now + backoff;
	if ( r.outcome === 'retry' ) {
		row.state = 'pending';
	} else {
		row.state = row.attempts >= maxAttempts ? 'dead' : 'failed';
	}
}

/**
 * WooCommerce's display name: a variation is "Parent - attribute values".
 *
 * @param p      Product (undefined when gone).
 * @param parent Its parent, for variations.
 */
function displayName(
	p: ShopProduct | undefined,
	parent: ShopProduct | undefined
): string | null {
	if ( ! p ) {
		return null;
	}
	return parent
		? `${ parent.name } - ${ p.attributes.map( ( a ) => a.value ).join( ', ' ) }`
		: p.name;
}
