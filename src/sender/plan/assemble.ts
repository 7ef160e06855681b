/**
 * The planner's last step: the buckets become calls in execution order, in
 * requests as full as keyCRM allows, each carrying the desired records of
 * the SKUs whose values it establishes.
 */
import type { ClaimedItem } from '../../contract/plugin-rest.js';
import { KEYCRM_LIMITS } from '../../keycrm/schemas.js';
import { chunk } from '../../util/chunk.js';
import { withCategoryId } from '../plan-categories.js';
import {
	ESTABLISHES,
	type Established,
	type PlannedCall,
	type PlanContext,
} from '../plan.js';
import { importItem, offerCreateItem, parentCreateBody } from './bodies.js';
import type { Buckets } from './route.js';

/**
 * Turn the buckets into ordered calls: stock, offer data, lookups, creations,
 * per-product updates.
 *
 * @param input     Planner input (with the desired records).
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets.
 */
export function assemble(
	input: PlanContext,
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
	for ( const part of chunk( b.offers, KEYCRM_LIMITS.updateOffers ) ) {
		calls.push( {
			kind: 'offers',
			rows: part.map( ( o ) => o.row ),
			[ ESTABLISHES ]: new Map(
				part.map( ( o ) => [ o.row.sku, o.desired ] )
			),
		} );
	}
	for ( const skus of chunk( b.lookups, KEYCRM_LIMITS.pageSize ) ) {
		calls.push( { kind: 'lookup', skus } );
	}
	for ( const items of chunk( b.imports, KEYCRM_LIMITS.importProducts ) ) {
		calls.push( {
			kind: 'import',
			products: items.map( ( i ) =>
				withCategoryId(
					importItem( i, input.desired( i ), settings ),
					i,
					settings,
					input.knowledge
				)
			),
			skus: items.map( ( i ) => i.sku ),
			[ ESTABLISHES ]: records( items, input ),
		} );
	}
	calls.push( ...variationCalls( input, parentIds, b ) );
	calls.push( ...b.updates );
	return calls;
}

/**
 * The desired records of the items a call creates or updates, by SKU.
 *
 * @param items Items.
 * @param input Planner input (with the desired records).
 */
function records(
	items: readonly ClaimedItem[],
	input: PlanContext
): Established {
	const map: Established = new Map();
	for ( const item of items ) {
		map.set( item.sku, input.desired( item ) );
	}
	return map;
}

/**
 * Calls that create variable products and their variations.
 *
 * @param input     Planner input (with the desired records).
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets.
 */
function variationCalls(
	input: PlanContext,
	parentIds: ReadonlyMap< number, number >,
	b: Buckets
): PlannedCall[] {
	const creates: PlannedCall[] = [];
	const offers: PlannedCall[] = [];
	const parents = new Set( [ ...b.parentsToCreate, ...b.variations.keys() ] );
	for ( const parentId of parents ) {
		const variations = b.variations.get( parentId ) ?? [];
		const productId = parentIds.get( parentId );
		if ( productId === undefined ) {
			const call = parentCall(
				input,
				parentId,
				b.parentItems.get( parentId ),
				variations
			);
			creates.push( ...( call ? [ call ] : [] ) );
			continue;
		}
		for ( const list of chunk( variations, KEYCRM_LIMITS.createOffers ) ) {
			offers.push( {
				kind: 'createOffers',
				productId,
				parentId,
				offers: list.map( ( v ) =>
					offerCreateItem( v, input.desired( v ), input.settings )
				),
				skus: list.map( ( v ) => v.sku ),
				[ ESTABLISHES ]: records( list, input ),
			} );
		}
	}
	// Variations of products already created go first: they finish families in hand (and
	// free their SKUs) before new families start.
	return [ ...offers, ...creates ];
}

/**
 * The call that creates a variable product (its variations follow in a later
 * plan), or null when nothing of the family is in hand.
 *
 * @param input      Planner input (with the desired records).
 * @param parentId   WP id of the variable product.
 * @param parentItem Its snapshot, when in hand.
 * @param variations Its variations to create.
 */
function parentCall(
	input: PlanContext,
	parentId: number,
	parentItem: ClaimedItem | undefined,
	variations: readonly ClaimedItem[]
): PlannedCall | null {
	const sample = variations[ 0 ] ?? parentItem;
	if ( ! sample ) {
		return null;
	}
	const skus = [
		...( parentItem ? [ parentItem.sku ] : [] ),
		...variations.map( ( v ) => v.sku ),
	];
	const source = parentItem ?? sample;
	const body = withCategoryId(
		parentCreateBody(
			sample,
			parentItem,
			input.desired( source ),
			input.settings
		),
		source,
		input.settings,
		input.knowledge
	);
	return {
		kind: 'createParent',
		parentId,
		body,
		parentSku: parentItem?.sku ?? sample.parent_sku,
		skus,
		// The variable product's own row (when in hand) holds its product data once created.
		...( parentItem
			? { [ ESTABLISHES ]: records( [ parentItem ], input ) }
			: {} ),
	};
}
