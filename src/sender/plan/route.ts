/**
 * The planner's second step: each item's work goes into the buckets that
 * become calls (stock rows, offer rows, lookups, creations, product updates),
 * or the item is done, blocked, or kept out of keyCRM by the settings.
 */
import type {
	ClaimedItem,
	SenderSettings,
} from '../../contract/plugin-rest.js';
import { skuProblem } from '../../contract/sku-rules.js';
import type { ProductUpdate } from '../../keycrm/schemas.js';
import type { Desired, OfferData } from '../desired.js';
import {
	ESTABLISHES,
	type BlockedItem,
	type PlannedCall,
	type PlanContext,
	type StockRow,
} from '../plan.js';
import { UnknownUnitError } from '../units.js';
import { itemWork, type Work } from './work.js';

/** Accumulators of one planning pass. */
export interface Buckets {
	stocks: StockRow[];
	/** Offer rows with the desired records they come from. */
	offers: Array< { row: OfferData & { sku: string }; desired: Desired } >;
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

/** Empty buckets. */
export function newBuckets(): Buckets {
	return {
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
}

/**
 * Route one item into the buckets.
 *
 * @param item      Claimed item.
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets.
 */
export function planItem(
	item: ClaimedItem,
	input: PlanContext,
	parentIds: ReadonlyMap< number, number >,
	b: Buckets
): void {
	const work = workOf( item, input, parentIds, b );
	if ( work === null || work.wait ) {
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
	if ( work.create === null ) {
		routeUpdate( item, work, input, b );
	} else {
		routeCreate( item, work.create, b );
	}
}

/**
 * The item's work, or null when a unit that cannot be converted blocks it.
 *
 * @param item      Claimed item.
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets (the blocked list).
 */
function workOf(
	item: ClaimedItem,
	input: PlanContext,
	parentIds: ReadonlyMap< number, number >,
	b: Buckets
): Work | null {
	try {
		return itemWork( item, input, parentIds );
	} catch ( error ) {
		if ( error instanceof UnknownUnitError ) {
			b.blocked.push( {
				sku: item.sku,
				code: 'bad_unit',
				message: `Unit conversion failed: ${ error.message }`,
			} );
			return null;
		}
		throw error;
	}
}

/**
 * Route a creation: simple products to the imports, variations under their
 * parent, variable products to the parents to create.
 *
 * @param item   Claimed item.
 * @param create What to create.
 * @param b      Buckets.
 */
function routeCreate(
	item: ClaimedItem,
	create: NonNullable< Work[ 'create' ] >,
	b: Buckets
): void {
	if ( create === 'simple' ) {
		b.imports.push( item );
	} else if ( create === 'variation' && item.parent_id !== null ) {
		const list = b.variations.get( item.parent_id ) ?? [];
		list.push( item );
		b.variations.set( item.parent_id, list );
	} else if ( create === 'parent' && item.product_id !== null ) {
		b.parentsToCreate.add( item.product_id );
	}
}

/**
 * Route the work of a SKU keyCRM holds (or may hold): stock and offer rows,
 * a lookup or a product update; done when nothing is left.
 *
 * @param item  Claimed item.
 * @param work  Its work.
 * @param input Planner input.
 * @param b     Buckets.
 */
function routeUpdate(
	item: ClaimedItem,
	work: Work,
	input: PlanContext,
	b: Buckets
): void {
	const state = input.knowledge.skus.get( item.sku );
	if ( work.stock !== null && input.settings.warehouse_id !== null ) {
		b.stocks.push( {
			sku: item.sku,
			quantity: work.stock,
			urgent: ! state?.created && ! item.retired,
		} );
	}
	const d = input.desired( item );
	if ( work.offer ) {
		b.offers.push( { row: work.offer, desired: d } );
	}
	if ( work.lookup ) {
		b.lookups.push( item.sku );
	} else if ( work.product && work.product.productId !== null ) {
		addUpdate( b, item, work.product.productId, work.product.body, d );
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

/**
 * Plan a product update; the variations of one SKU-less parent share one.
 *
 * @param b         Buckets.
 * @param item      The item whose product data changed.
 * @param productId keyCRM product id.
 * @param body      `PUT /products/{id}` body.
 * @param d         The item's desired record (its product hash is recorded once keyCRM has the data).
 */
function addUpdate(
	b: Buckets,
	item: ClaimedItem,
	productId: number,
	body: ProductUpdate,
	d: Desired
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
		sibling[ ESTABLISHES ]?.set( item.sku, d );
		return;
	}
	b.updates.push( {
		kind: 'updateProduct',
		productId,
		sku: item.sku,
		body,
		...( item.type === 'variation' ? { also: [] } : {} ),
		[ ESTABLISHES ]: new Map( [ [ item.sku, d ] ] ),
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
