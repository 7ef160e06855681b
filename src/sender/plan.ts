/**
 * The planner: a pure function from the SKUs in hand (claimed snapshots +
 * what this run knows) to the keyCRM calls that bring keyCRM to the shop's
 * state with the fewest requests (DESIGN §4):
 *
 * | step | call | rows per request |
 * | --- | --- | --- |
 * | stock of SKUs keyCRM holds | `PUT /offers/stocks` by sku | 10,000 |
 * | offer data (prices, weight, size, image) | `PUT /offers` by sku | 10,000 |
 * | ids / existence of SKUs nobody knows | `GET /offers?filter[sku]=…` | 50 |
 * | new simple products | `POST /products/import` | 100 |
 * | new variable products | `POST /products` | 1 (returns the id) |
 * | new variations | `POST /products/{id}/offers` | 100 per product |
 * | name, description, pictures, category | `PUT /products/{id}` | 1 |
 * | categories keyCRM lacks | `GET`/`POST /products/categories` | 1 (see plan-categories.ts) |
 *
 * Nothing is sent that keyCRM already holds (pushed_stock / hashes equal the
 * desired values; a row reclaimed or retried after a failure cannot vouch
 * for them, so its values are sent again); ids are looked up only when a
 * call needs them (a product-level update, a variation's parent) or when the
 * SKU's existence decides between create and update. Stock of a SKU created
 * in this plan comes in a later plan (keyCRM can only stock an offer that
 * exists): the executor re-plans after every slice.
 */
import {
	KEYCRM_LIMITS,
	type OfferCreate,
	type ProductCreate,
	type ProductUpdate,
} from '../keycrm/schemas.js';
import type { ClaimedItem, SenderSettings } from '../contract/plugin-rest.js';
import { skuProblem } from '../contract/sku-rules.js';
import {
	desiredOfferData,
	desiredProductData,
	desiredStock,
	importItem,
	offerCreateItem,
	offerHash,
	ofSkulessParent,
	parentCreateBody,
	productHash,
	skulessParentUpdate,
	type DesiredOptions,
	type OfferData,
} from './desired.js';
import {
	planCategories,
	withCategoryId,
	type CategoriesCall,
} from './plan-categories.js';
import type { Existence, Knowledge, SkuState } from './state.js';
import { UnknownUnitError } from './units.js';

/** One stock row with what the planner knows about its urgency. */
export interface StockRow {
	sku: string;
	quantity: number;
	/** A live change of a SKU keyCRM already sold (not a fresh creation, not a retirement): send it soon. */
	urgent: boolean;
}

/** `PUT /offers/stocks`: stock of SKUs keyCRM holds. */
export interface StocksCall {
	kind: 'stocks';
	warehouseId: number;
	rows: StockRow[];
}

/** `PUT /offers`: offer data (prices, weight, size, image) of SKUs keyCRM holds. */
export interface OffersCall {
	kind: 'offers';
	rows: Array< OfferData & { sku: string } >;
}

/** `GET /offers?filter[sku]=…`: ids / existence of SKUs. */
export interface LookupCall {
	kind: 'lookup';
	skus: string[];
}

/** `POST /products/import`: new simple products. */
export interface ImportCall {
	kind: 'import';
	products: ProductCreate[];
	skus: string[];
}

/** `POST /products`: a new variable product. */
export interface CreateParentCall {
	kind: 'createParent';
	parentId: number;
	body: ProductCreate;
	parentSku: string | null;
	skus: string[];
}

/** `POST /products/{id}/offers`: new variations of a product keyCRM holds. */
export interface CreateOffersCall {
	kind: 'createOffers';
	productId: number;
	parentId: number;
	offers: OfferCreate[];
	skus: string[];
}

/** `PUT /products/{id}`: product-level data. */
export interface UpdateProductCall {
	kind: 'updateProduct';
	productId: number;
	sku: string;
	body: ProductUpdate;
	/** Sibling variations of a SKU-less parent that this update brings up to date too. */
	also?: string[];
}

/** A keyCRM call the executor performs. `skus` are the items whose outcome depends on it. */
export type PlannedCall =
	| StocksCall
	| OffersCall
	| LookupCall
	| ImportCall
	| CreateParentCall
	| CreateOffersCall
	| UpdateProductCall
	| CategoriesCall;

/** A SKU that cannot be sent as it is (acknowledged as failed). */
export interface BlockedItem {
	sku: string;
	code: string;
	message: string;
}

/**
 * The plan: calls in execution order, SKUs with nothing left to send, SKUs
 * that cannot be sent, and SKUs the settings keep out of keyCRM (acknowledged
 * as done, with the reason shown on the Items screen).
 */
export interface Plan {
	calls: PlannedCall[];
	done: string[];
	blocked: BlockedItem[];
	notSent: BlockedItem[];
}

/** Everything the planner reads. */
export interface PlanInput {
	items: readonly ClaimedItem[];
	settings: SenderSettings;
	options: DesiredOptions;
	knowledge: Knowledge;
}

/** Per-item work found by the first pass. */
interface Work {
	stock: number | null;
	offer: ( OfferData & { sku: string } ) | null;
	product: {
		sku: string;
		body: ProductUpdate;
		productId: number | null;
	} | null;
	create: 'simple' | 'variation' | 'parent' | null;
	lookup: boolean;
	/** Nothing to do yet (waiting for the census). */
	wait?: boolean;
}

/** Accumulators of one planning pass. */
interface Buckets {
	stocks: StockRow[];
	offers: Array< OfferData & { sku: string } >;
	lookups: string[];
	imports: ClaimedItem[];
	/** WP parent id → variations to create under it. */
	variations: Map< number, ClaimedItem[] >;
	/** WP parent id → parent snapshot (variable items in hand). */
	parentItems: Map< number, ClaimedItem >;
	parentsToCreate: Set< number >;
	updates: PlannedCall[];
	done: string[];
	blocked: BlockedItem[];
	notSent: BlockedItem[];
}

/**
 * Plan the keyCRM calls for the SKUs in hand.
 *
 * @param input Items, settings, options and knowledge.
 */
export function plan( input: PlanInput ): Plan {
	const b: Buckets = {
		stocks: [],
		offers: [],
		lookups: [],
		imports: [],
		variations: new Map(),
		parentItems: new Map(),
		parentsToCreate: new Set(),
		updates: [],
		done: [],
		blocked: [],
		notSent: [],
	};
	const parentIds = knownParentIds( input );
	for ( const item of input.items ) {
		if ( item.type === 'variable' && item.product_id !== null ) {
			b.parentItems.set( item.product_id, item );
		}
	}
	for ( const item of input.items ) {
		planItem( item, input, parentIds, b );
	}
	const categories = planCategories(
		input.items,
		input.settings,
		input.knowledge,
		parentIds,
		b
	);
	return {
		calls: [
			...( categories ? [ categories ] : [] ),
			...assemble( input, parentIds, b ),
		],
		done: b.done,
		blocked: b.blocked,
		notSent: b.notSent,
	};
}

/**
 * Route one item into the buckets.
 *
 * @param item      Claimed item.
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets.
 */
function planItem(
	item: ClaimedItem,
	input: PlanInput,
	parentIds: ReadonlyMap< number, number >,
	b: Buckets
): void {
	let work: Work;
	try {
		work = itemWork( item, input, parentIds );
	} catch ( error ) {
		if ( error instanceof UnknownUnitError ) {
			b.blocked.push( {
				sku: item.sku,
				code: 'bad_unit',
				message: `Unit conversion failed: ${ error.message }`,
			} );
			return;
		}
		throw error;
	}
	if ( work.wait ) {
		return;
	}
	if ( item.type === 'grouped' && ! item.retired ) {
		b.notSent.push( {
			sku: item.sku,
			code: 'not_sent',
			message:
				'Not sent: a grouped product sells its products, which are sent as themselves.',
		} );
		return;
	}
	const blocked = blockReason( item, work, input.settings );
	if ( blocked ) {
		b.blocked.push( { sku: item.sku, ...blocked } );
		return;
	}
	const excluded =
		work.create === null ? null : notCreated( item, input.settings );
	if ( excluded ) {
		b.notSent.push( {
			sku: item.sku,
			code: 'not_sent',
			message: excluded,
		} );
		return;
	}
	const state = input.knowledge.skus.get( item.sku );
	if ( work.create === 'simple' ) {
		b.imports.push( item );
	} else if ( work.create === 'variation' && item.parent_id !== null ) {
		const list = b.variations.get( item.parent_id ) ?? [];
		list.push( item );
		b.variations.set( item.parent_id, list );
	} else if ( work.create === 'parent' && item.product_id !== null ) {
		b.parentsToCreate.add( item.product_id );
	} else {
		if ( work.stock !== null && input.settings.warehouse_id !== null ) {
			b.stocks.push( {
				sku: item.sku,
				quantity: work.stock,
				urgent: ! state?.created && ! item.retired,
			} );
		}
		if ( work.offer ) {
			b.offers.push( work.offer );
		}
		if ( work.lookup ) {
			b.lookups.push( item.sku );
		} else if ( work.product && work.product.productId !== null ) {
			addUpdate( b, item, work.product.productId, work.product.body );
		}
		if (
			work.stock === null &&
			! work.offer &&
			! work.product &&
			! work.lookup
		) {
			b.done.push( item.sku );
		}
	}
}

/**
 * Plan a product update; the variations of one SKU-less parent share one.
 *
 * @param b         Buckets.
 * @param item      The item whose product data changed.
 * @param productId keyCRM product id.
 * @param body      `PUT /products/{id}` body.
 */
function addUpdate(
	b: Buckets,
	item: ClaimedItem,
	productId: number,
	body: ProductUpdate
): void {
	const sibling =
		item.type === 'variation'
			? b.updates.find(
					( c ) =>
						c.kind === 'updateProduct' &&
						c.productId === productId &&
						c.also !== undefined
				)
			: undefined;
	if ( sibling?.kind === 'updateProduct' ) {
		sibling.also?.push( item.sku );
		return;
	}
	b.updates.push( {
		kind: 'updateProduct',
		productId,
		sku: item.sku,
		body,
		...( item.type === 'variation' ? { also: [] } : {} ),
	} );
}

/**
 * Why an item cannot be sent, or null.
 *
 * @param item     Claimed item.
 * @param work     Its work.
 * @param settings Sender settings.
 */
function blockReason(
	item: ClaimedItem,
	work: Work,
	settings: SenderSettings
): { code: string; message: string } | null {
	if ( skuProblem( item.sku ) !== null ) {
		return {
			code: 'unusable_sku',
			message:
				'keyCRM cannot use this SKU (empty, a comma, surrounding spaces, or longer than 255 characters).',
		};
	}
	if ( work.create !== null && ! settings.create_products ) {
		return {
			code: 'not_in_keycrm',
			message:
				'The SKU does not exist in keyCRM and creating products is turned off.',
		};
	}
	if ( work.create === 'variation' && item.parent_id === null ) {
		return {
			code: 'no_parent',
			message:
				'A variation without a parent product cannot be created in keyCRM.',
		};
	}
	if (
		work.stock !== null &&
		! work.lookup &&
		work.create === null &&
		settings.warehouse_id === null
	) {
		return {
			code: 'warehouse_not_set',
			message: 'No keyCRM warehouse is set, so stock cannot be sent.',
		};
	}
	return null;
}

/**
 * Why the settings keep a product that keyCRM does not hold out of it, or
 * null. Products keyCRM already holds are updated whatever their status.
 *
 * @param item     Claimed item (about to be created).
 * @param settings Sender settings.
 */
export function notCreated(
	item: ClaimedItem,
	settings: SenderSettings
): string | null {
	const statuses: readonly string[] | undefined = settings.sync_statuses;
	if ( statuses ) {
		const own = item.status ?? '';
		if ( ! statuses.includes( own ) ) {
			return `Not sent: its status is "${ own }" (Settings: product statuses created in keyCRM).`;
		}
		const parent = item.parent_status;
		if (
			item.type === 'variation' &&
			parent &&
			! statuses.includes( parent )
		) {
			return `Not sent: its variable product's status is "${ parent }" (Settings: product statuses created in keyCRM).`;
		}
	}
	if ( item.type === 'external' && settings.create_external === false ) {
		return 'Not sent: an external/affiliate product (Settings: create external products).';
	}
	return null;
}

/**
 * Whether keyCRM holds an offer with the item's SKU, as far as anyone knows.
 *
 * @param item  Claimed item.
 * @param state This run's state of the SKU.
 * @param k     Knowledge.
 */
export function existence(
	item: ClaimedItem,
	state: SkuState | undefined,
	k: Knowledge
): Existence {
	if ( state?.exists !== undefined ) {
		return state.exists;
	}
	if (
		item.keycrm_offer_id !== null ||
		item.pushed_offer_hash !== null ||
		item.pushed_stock !== null
	) {
		return 'yes';
	}
	if ( k.census?.has( item.sku ) ) {
		return 'yes';
	}
	// A census cannot vouch for a SKU whose create may have landed after it was taken.
	if ( maybeCreated( item, k ) ) {
		return 'unknown';
	}
	if ( k.census ) {
		return 'no';
	}
	return 'unknown';
}

/**
 * The work one item needs (first pass; buckets decide the calls).
 *
 * @param item      Claimed item.
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 */
function itemWork(
	item: ClaimedItem,
	input: PlanInput,
	parentIds: ReadonlyMap< number, number >
): Work {
	const none: Work = {
		stock: null,
		offer: null,
		product: null,
		create: null,
		lookup: false,
	};
	if ( item.type === 'grouped' ) {
		return none;
	}
	if ( item.type === 'variable' ) {
		return parentWork( item, input, parentIds );
	}
	const { settings, knowledge } = input;
	const state = knowledge.skus.get( item.sku );
	const exists = existence( item, state, knowledge );
	// `retired` is the current truth; the RETIRE bit of change_mask is history.
	if (
		item.retired &&
		exists === 'unknown' &&
		maybeCreated( item, knowledge )
	) {
		// A create may have landed (a sender died or lost its ack): find out before zeroing.
		return {
			...none,
			lookup: ! knowledge.censusPending,
			wait: knowledge.censusPending === true,
		};
	}
	if ( item.retired ) {
		// Never create a SKU that left the shop; zero it only where keyCRM has it.
		const target =
			exists === 'yes'
				? desiredStock( item, settings, input.options )
				: null;
		return {
			...none,
			stock:
				target !== null &&
				target !== held( state?.pushedStock, item, item.pushed_stock )
					? target
					: null,
		};
	}
	if ( exists === 'unknown' ) {
		// While a census is being taken it will answer; until then the SKU waits.
		return {
			...none,
			lookup: ! knowledge.censusPending,
			wait: knowledge.censusPending === true,
		};
	}
	if ( exists === 'no' ) {
		// A unit that cannot be converted blocks this SKU here, not the whole plan in assemble().
		desiredOfferData( item, settings );
		return {
			...none,
			create: item.type === 'variation' ? 'variation' : 'simple',
		};
	}
	const stock = desiredStock( item, settings, input.options );
	const offerChanged =
		offerHash( item, settings ) !==
		held( state?.offerHash, item, item.pushed_offer_hash );
	const product = productWork( item, state, input, parentIds );
	return {
		stock:
			stock !== null &&
			stock !== held( state?.pushedStock, item, item.pushed_stock )
				? stock
				: null,
		offer: offerChanged
			? { sku: item.sku, ...desiredOfferData( item, settings ) }
			: null,
		product,
		create: null,
		lookup: product !== null && product.productId === null,
	};
}

/**
 * Whether a create of this SKU may have landed without the outbox knowing:
 * the last lease ended without an ack, the last attempt failed (its ack
 * clears `reclaimed`, so a failed lookup must not erase that doubt), or this
 * run lost track of a create.
 *
 * @param item Claimed item.
 * @param k    Knowledge.
 */
export function maybeCreated( item: ClaimedItem, k: Knowledge ): boolean {
	return outboxInDoubt( item ) || k.uncertain?.has( item.sku ) === true;
}

/**
 * Whether the row's last lease ended without an ack (`reclaimed`) or with a
 * failure (`attempts` > 0): a call sent under that lease may have reached
 * keyCRM (a sender killed mid-batch, an ack lost, a 500 or timeout after
 * keyCRM did the work) while the outbox kept its older ids and pushed values.
 *
 * @param item Claimed item.
 */
function outboxInDoubt( item: ClaimedItem ): boolean {
	return item.reclaimed === true || item.attempts > 0;
}

/**
 * A value keyCRM holds for the SKU as far as we know: what this run pushed,
 * else what the outbox recorded, or null (unknown) when the outbox is in
 * doubt. Trusting a doubtful record would skip a value keyCRM no longer
 * holds — e.g. a retired SKU whose `pushed_stock` is an earlier 0 while
 * keyCRM got a later non-zero stock.
 *
 * @param run    This run's value (undefined: nothing pushed in this run).
 * @param item   Claimed item.
 * @param outbox The outbox's pushed_* value.
 */
function held< T >(
	run: T | null | undefined,
	item: ClaimedItem,
	outbox: T | null
): T | null {
	if ( run !== undefined ) {
		return run;
	}
	return outboxInDoubt( item ) ? null : outbox;
}

/**
 * Product-level work of a simple-like offer, or of a variation of a SKU-less
 * parent (the parent's data), null when unchanged.
 *
 * @param item      Claimed item.
 * @param state     This run's state.
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 */
function productWork(
	item: ClaimedItem,
	state: SkuState | undefined,
	input: PlanInput,
	parentIds: ReadonlyMap< number, number >
): Work[ 'product' ] {
	const { knowledge, settings } = input;
	const skuless = ofSkulessParent( item );
	if (
		( item.type === 'variation' && ! skuless ) ||
		! settings.sync_product_data
	) {
		return null;
	}
	const pushed = held( state?.productHash, item, item.pushed_product_hash );
	if ( productHash( item, settings ) === pushed ) {
		return null;
	}
	const body = skuless
		? skulessParentUpdate( item, settings )
		: desiredProductData( item, settings );
	const productId =
		( skuless && item.parent_id !== null
			? parentIds.get( item.parent_id )
			: undefined ) ??
		state?.productId ??
		item.keycrm_product_id ??
		knowledge.census?.get( item.sku )?.productId ??
		null;
	return { sku: item.sku, body, productId };
}

/**
 * Work of a variable parent: create it, or update its product-level data.
 *
 * @param item      The variable product's item.
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 */
function parentWork(
	item: ClaimedItem,
	input: PlanInput,
	parentIds: ReadonlyMap< number, number >
): Work {
	const none: Work = {
		stock: null,
		offer: null,
		product: null,
		create: null,
		lookup: false,
	};
	if ( item.retired ) {
		return none;
	}
	const productId =
		item.product_id === null
			? null
			: ( parentIds.get( item.product_id ) ?? null );
	if ( productId === null ) {
		return { ...none, create: 'parent' };
	}
	const state = input.knowledge.skus.get( item.sku );
	const pushed = held( state?.productHash, item, item.pushed_product_hash );
	if (
		! input.settings.sync_product_data ||
		productHash( item, input.settings ) === pushed
	) {
		return none;
	}
	return {
		...none,
		product: {
			sku: item.sku,
			body: desiredProductData( item, input.settings ),
			productId,
		},
	};
}

/**
 * WP parent id → keyCRM product id, from every source in hand: this run's
 * creations, the parent rows, variations that know their product, and the
 * plugin's `parent_keycrm_product_id`.
 *
 * @param input Planner input.
 */
function knownParentIds( input: PlanInput ): Map< number, number > {
	const ids = new Map( input.knowledge.parents );
	const { skus, census } = input.knowledge;
	for ( const item of input.items ) {
		const state = skus.get( item.sku );
		if ( item.type === 'variable' && item.product_id !== null ) {
			const id = state?.productId ?? item.keycrm_product_id;
			if (
				id !== null &&
				id !== undefined &&
				! ids.has( item.product_id )
			) {
				ids.set( item.product_id, id );
			}
		} else if (
			item.type === 'variation' &&
			item.parent_id !== null &&
			! ids.has( item.parent_id )
		) {
			const id =
				state?.productId ??
				item.keycrm_product_id ??
				item.parent_keycrm_product_id ??
				census?.get( item.sku )?.productId;
			if ( id !== null && id !== undefined ) {
				ids.set( item.parent_id, id );
			}
		}
	}
	return ids;
}

/**
 * Split a list into chunks of at most `size`.
 *
 * @param list List.
 * @param size Chunk size.
 */
export function chunk< T >( list: readonly T[], size: number ): T[][] {
	const out: T[][] = [];
	for ( let i = 0; i < list.length; i += size ) {
		out.push( list.slice( i, i + size ) );
	}
	return out;
}

/**
 * Turn the buckets into ordered calls: stock, offer data, lookups, creations,
 * per-product updates.
 *
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets.
 */
function assemble(
	input: PlanInput,
	parentIds: ReadonlyMap< number, number >,
	b: Buckets
): PlannedCall[] {
	const { settings } = input;
	const calls: PlannedCall[] = [];
	if ( settings.warehouse_id !== null ) {
		const warehouseId = settings.warehouse_id;
		for ( const rows of chunk( b.stocks, KEYCRM_LIMITS.updateStocks ) ) {
			calls.push( { kind: 'stocks', warehouseId, rows } );
		}
	}
	for ( const rows of chunk( b.offers, KEYCRM_LIMITS.updateOffers ) ) {
		calls.push( { kind: 'offers', rows } );
	}
	for ( const skus of chunk( b.lookups, KEYCRM_LIMITS.pageSize ) ) {
		calls.push( { kind: 'lookup', skus } );
	}
	for ( const items of chunk( b.imports, KEYCRM_LIMITS.importProducts ) ) {
		calls.push( {
			kind: 'import',
			products: items.map( ( i ) =>
				withCategoryId(
					importItem( i, settings ),
					i,
					settings,
					input.knowledge
				)
			),
			skus: items.map( ( i ) => i.sku ),
		} );
	}
	calls.push( ...variationCalls( input, parentIds, b ) );
	calls.push( ...b.updates );
	return calls;
}

/**
 * Calls that create variable products and their variations.
 *
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets.
 */
function variationCalls(
	input: PlanInput,
	parentIds: ReadonlyMap< number, number >,
	b: Buckets
): PlannedCall[] {
	const creates: PlannedCall[] = [];
	const offers: PlannedCall[] = [];
	const parents = new Set( [ ...b.parentsToCreate, ...b.variations.keys() ] );
	for ( const parentId of parents ) {
		const variations = b.variations.get( parentId ) ?? [];
		const parentItem = b.parentItems.get( parentId );
		const productId = parentIds.get( parentId );
		if ( productId === undefined ) {
			const sample = variations[ 0 ] ?? parentItem;
			if ( sample ) {
				const skus = [
					...( parentItem ? [ parentItem.sku ] : [] ),
					...variations.map( ( v ) => v.sku ),
				];
				const body = withCategoryId(
					parentCreateBody( sample, parentItem, input.settings ),
					parentItem ?? sample,
					input.settings,
					input.knowledge
				);
				creates.push( {
					kind: 'createParent',
					parentId,
					body,
					parentSku: parentItem?.sku ?? sample.parent_sku,
					skus,
				} );
			}
			continue;
		}
		for ( const list of chunk( variations, KEYCRM_LIMITS.createOffers ) ) {
			offers.push( {
				kind: 'createOffers',
				productId,
				parentId,
				offers: list.map( ( v ) =>
					offerCreateItem( v, input.settings )
				),
				skus: list.map( ( v ) => v.sku ),
			} );
		}
	}
	// Variations of products already created go first: they finish families in hand (and
	// free their SKUs) before new families start.
	return [ ...offers, ...creates ];
}

/**
 * Number of keyCRM requests a plan needs (each call is one request).
 *
 * @param p Plan.
 */
export function requestCount( p: Plan ): number {
	return p.calls.length;
}
