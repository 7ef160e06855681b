/**
 * Category paths ("Одяг/Футболки", or their levels) → keyCRM category ids:
 * reads keyCRM's category tree once and creates the missing levels, parents
 * first, one `POST /products/categories` each (keyCRM has no bulk call for
 * them). A level matches a keyCRM category by name (case and surrounding
 * spaces ignored) and parent. Used by the ERP push and by the sender.
 */
import type { KeyCrmClient } from '../keycrm/client.js';
import { KEYCRM_LIMITS } from '../keycrm/schemas.js';

export type CategoryClient = Pick<
	KeyCrmClient,
	'listCategories' | 'createCategory'
>;

export interface CategoryResolution {
	/** Path → id (null in a dry run for categories that would be created). */
	ids: Map< string, number | null >;
	/** Paths of the levels created (or that would be). */
	created: string[];
	reads: number;
}

/** keyCRM's categories by (parent id, name): see `categoryKey`. */
export type CategoryTree = Map< string, number >;

/**
 * Key of a category in a CategoryTree.
 *
 * @param parent keyCRM parent id (null: a root category).
 * @param name   Category name.
 */
export function categoryKey( parent: number | null, name: string ): string {
	return `${ parent ?? 0 }\u0000${ name.trim().toLowerCase() }`;
}

/**
 * Splits a category path into its levels.
 *
 * @param path Path, levels separated by "/" (or ">" / "\\").
 */
export function categoryLevels( path: string ): string[] {
	return path
		.split( /\s*[/>\\]\s*/ )
		.map( ( s ) => s.trim() )
		.filter( ( s ) => s !== '' );
}

/**
 * Reads every page of keyCRM's categories.
 *
 * @param client keyCRM client.
 */
export async function readCategoryTree(
	client: CategoryClient
): Promise< { tree: CategoryTree; reads: number } > {
	const tree: CategoryTree = new Map();
	let reads = 0;
	for ( let page = 1; ; page++ ) {
		const p = await client.listCategories( {
			limit: KEYCRM_LIMITS.pageSize,
			page,
		} );
		reads++;
		for ( const c of p.data ) {
			const key = categoryKey( c.parent_id ?? null, c.name );
			// The oldest of same-named siblings wins, whatever the page order.
			if ( ( tree.get( key ) ?? Infinity ) > c.id ) {
				tree.set( key, c.id );
			}
		}
		if ( p.current_page >= p.last_page || p.data.length === 0 ) {
			break;
		}
	}
	return { tree, reads };
}

/**
 * The keyCRM ids of a path's levels, root first, creating the missing ones
 * (parents first) and adding them to the tree.
 *
 * @param client    keyCRM client.
 * @param tree      keyCRM's categories (updated with the created ones).
 * @param levels    Level names, root first.
 * @param onCreated Called after each create with the level's index.
 */
export async function ensureCategoryPath(
	client: CategoryClient,
	tree: CategoryTree,
	levels: readonly string[],
	onCreated: ( index: number ) => void = () => {}
): Promise< number[] > {
	const ids: number[] = [];
	let parent: number | null = null;
	for ( let i = 0; i < levels.length; i++ ) {
		const name = ( levels[ i ] as string ).trim();
		const key = categoryKey( parent, name );
		let id = tree.get( key );
		if ( id === undefined ) {
			const created = await client.createCategory( {
				name,
				parent_id: parent,
			} );
			id = created.id;
			tree.set( key, id );
			onCreated( i );
		}
		ids.push( id );
		parent = id;
	}
	return ids;
}

/**
 * Resolves category paths, creating missing levels unless `dryRun`.
 *
 * @param client  keyCRM client.
 * @param paths   Category paths of the products to create.
 * @param dryRun  Only plan.
 * @param onWrite Called after each create (or planned create).
 */
export async function resolveCategories(
	client: CategoryClient,
	paths: ReadonlySet< string >,
	dryRun: boolean,
	onWrite: ( path: string ) => void = () => {}
): Promise< CategoryResolution > {
	const out: CategoryResolution = { ids: new Map(), created: [], reads: 0 };
	if ( paths.size === 0 ) {
		return out;
	}
	const { tree, reads } = await readCategoryTree( client );
	out.reads = reads;
	const planned = new Set< string >();
	for ( const path of paths ) {
		const levels = categoryLevels( path );
		if ( ! dryRun ) {
			const ids = await ensureCategoryPath(
				client,
				tree,
				levels,
				( i ) => {
					const sub = levels.slice( 0, i + 1 ).join( '/' );
					out.created.push( sub );
					onWrite( sub );
				}
			);
			out.ids.set( path, ids[ ids.length - 1 ] ?? null );
			continue;
		}
		let parent: number | null = null;
		let known = true;
		for ( let i = 0; i < levels.length; i++ ) {
			const found: number | undefined = known
				? tree.get( categoryKey( parent, levels[ i ] as string ) )
				: undefined;
			if ( found !== undefined ) {
				parent = found;
				continue;
			}
			known = false;
			const sub = levels.slice( 0, i + 1 ).join( '/' );
			if ( ! planned.has( sub ) ) {
				planned.add( sub );
				out.created.push( sub );
				onWrite( sub );
			}
		}
		out.ids.set( path, known ? parent : null );
	}
	return out;
}
