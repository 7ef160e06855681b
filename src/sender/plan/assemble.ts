/**
 * The planner's last step: the buckets become calls in execution order, in
 * requests as full as keyCRM allows.
 */
import { KEYCRM_LIMITS } from '../../keycrm/schemas.js';
import { chunk } from '../../util/chunk.js';
import { importItem, offerCreateItem, parentCreateBody } from '../desired.js';
import { withCategoryId } from '../plan-categories.js';
import type { PlannedCall, PlanInput } from '../plan.js';
import type { Buckets } from './route.js';

/**
 * Turn the buckets into ordered calls: stock, offer data, lookups, creations,
 * per-product updates.
 *
 * @param input     Planner input.
 * @param parentIds WP parent id → keyCRM product id.
 * @param b         Buckets.
 */
export function assemble(
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
