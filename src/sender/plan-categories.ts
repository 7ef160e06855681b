/**
 * The planner's category step: a product is created, or its product-level
 * data updated, with the keyCRM id of its category (`category_id`). The id
 * comes from this run's resolutions or from what the plugin remembers on the
 * WooCommerce category (`category_path[].keycrm_id`, valid only while the
 * category keeps the name and parent it was matched for). Creations and
 * updates whose category has no known id wait for one `categories` call that
 * finds or creates the missing paths in keyCRM (the executor reads keyCRM's
 * category tree once per run, then creates parents first); the next plan
 * sends them with their id.
 */
import type { CategoryLevel, ClaimedItem } from '../contract/plugin-rest.js';
import type { ProductCreate, ProductUpdate } from '../keycrm/schemas.js';
import { categoryPath } from './desired.js';
import type { PlannedCall } from './plan.js';
import type { Knowledge } from './state.js';

/** The call that finds or creates category paths in keyCRM. */
export interface CategoriesCall {
	kind: 'categories';
	/** Paths (root first) whose keyCRM id is not known, each once. */
	paths: Array< Array< Pick< CategoryLevel, 'term_id' | 'name' > > >;
	/** SKUs waiting for them. */
	skus: string[];
}

/** What the category step needs of the planner's buckets. */
export interface CategoryBuckets {
	imports: ClaimedItem[];
	variations: Map< number, ClaimedItem[] >;
	parentItems: Map< number, ClaimedItem >;
	parentsToCreate: Set< number >;
	updates: PlannedCall[];
}

/**
 * Key of a path in `Knowledge.categories`.
 *
 * @param names Level names, root first.
 */
export function categoryPathKey( names: readonly string[] ): string {
	return names.join( '\u0000' );
}

/**
 * The keyCRM category id of an item's category: a number, null when the item
 * sends no category, undefined when it is not known yet.
 *
 * @param item                       Claimed item.
 * @param settings                   Sender settings (`sync_product_data`).
 * @param settings.sync_product_data Whether product data is sent.
 * @param knowledge                  Knowledge.
 */
export function categoryIdOf(
	item: ClaimedItem,
	settings: { sync_product_data: boolean },
	knowledge: Knowledge
): number | null | undefined {
	const path = categoryPath( item, settings );
	if ( path === null ) {
		return null;
	}
	const learnt = knowledge.categories?.get(
		categoryPathKey( path.map( ( l ) => l.name ) )
	);
	const id = learnt ?? path[ path.length - 1 ]?.keycrm_id ?? undefined;
	return id !== undefined && knowledge.staleCategories?.has( id )
		? undefined
		: id;
}

/**
 * A body with the item's category id, when it has one.
 *
 * @param body                       Create or update body.
 * @param item                       The item whose category it carries.
 * @param settings                   Sender settings.
 * @param settings.sync_product_data Whether product data is sent.
 * @param knowledge                  Knowledge.
 */
export function withCategoryId< T extends ProductCreate | ProductUpdate >(
	body: T,
	item: ClaimedItem,
	settings: { sync_product_data: boolean },
	knowledge: Knowledge
): T {
	const id = categoryIdOf( item, settings, knowledge );
	return typeof id === 'number' ? { ...body, category_id: id } : body;
}

/**
 * Holds back the creations and product updates whose category id is not
 * known (they leave the buckets for this plan), gives the updates that stay
 * their category id, and returns the call that resolves the missing paths.
 *
 * @param items                      Items in hand.
 * @param settings                   Sender settings.
 * @param settings.sync_product_data Whether product data is sent.
 * @param knowledge                  Knowledge.
 * @param parentIds                  WP parent id → keyCRM product id (parents to create have none).
 * @param b                          The planner's buckets.
 */
export function planCategories(
	items: readonly ClaimedItem[],
	settings: { sync_product_data: boolean },
	knowledge: Knowledge,
	parentIds: ReadonlyMap< number, number >,
	b: CategoryBuckets
): CategoriesCall | null {
	const paths = new Map< string, CategoriesCall[ 'paths' ][ number ] >();
	const skus: string[] = [];
	const waits = ( item: ClaimedItem, held: readonly string[] ) => {
		if ( categoryIdOf( item, settings, knowledge ) !== undefined ) {
			return false;
		}
		const path = categoryPath( item, settings ) ?? [];
		paths.set(
			categoryPathKey( path.map( ( l ) => l.name ) ),
			path.map( ( l ) => ( { term_id: l.term_id, name: l.name } ) )
		);
		skus.push( ...held );
		return true;
	};
	b.imports = b.imports.filter( ( i ) => ! waits( i, [ i.sku ] ) );
	const parents = new Set( [ ...b.parentsToCreate, ...b.variations.keys() ] );
	for ( const parentId of parents ) {
		if ( parentIds.has( parentId ) ) {
			continue;
		}
		const parent = b.parentItems.get( parentId );
		const variations = b.variations.get( parentId ) ?? [];
		const sample = parent ?? variations[ 0 ];
		const family = [
			...( parent && b.parentsToCreate.has( parentId )
				? [ parent.sku ]
				: [] ),
			...variations.map( ( v ) => v.sku ),
		];
		if ( sample && waits( sample, family ) ) {
			b.parentsToCreate.delete( parentId );
			b.variations.delete( parentId );
		}
	}
	const bySku = new Map( items.map( ( i ) => [ i.sku, i ] ) );
	b.updates = b.updates.flatMap( ( call ): PlannedCall[] => {
		if ( call.kind !== 'updateProduct' ) {
			return [ call ];
		}
		const item = bySku.get( call.sku );
		if ( ! item || waits( item, [ call.sku, ...( call.also ?? [] ) ] ) ) {
			return item ? [] : [ call ];
		}
		return [
			{
				...call,
				body: withCategoryId( call.body, item, settings, knowledge ),
			},
		];
	} );
	return paths.size === 0
		? null
		: { kind: 'categories', paths: [ ...paths.values() ], skus };
}
