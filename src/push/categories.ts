/**
 * Category paths of new products ("Одяг/Футболки") → keyCRM category ids:
 * reads keyCRM's category tree once and creates the missing levels, one
 * `POST /products/categories` each (keyCRM has no bulk call for them).
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
	const byParent = new Map< string, number >();
	const key = ( parent: number | null, name: string ) =>
		`${ parent ?? 0 }\u0000${ name.toLowerCase() }`;
	for ( let page = 1; ; page++ ) {
		const p = await client.listCategories( {
			limit: KEYCRM_LIMITS.pageSize,
			page,
		} );
		out.reads++;
		for ( const c of p.data ) {
			byParent.set( key( c.parent_id ?? null, c.name ), c.id );
		}
		if ( p.current_page >= p.last_page || p.data.length === 0 ) {
			break;
		}
	}
	const planned = new Set< string >();
	for ( const path of paths ) {
		let parent: number | null = null;
		let known = true;
		const levels = categoryLevels( path );
		for ( let i = 0; i < levels.length; i++ ) {
			const name = levels[ i ] as string;
			const sub = levels.slice( 0, i + 1 ).join( '/' );
			const found: number | undefined = known
				? byParent.get( key( parent, name ) )
				: undefined;
			if ( found !== undefined ) {
				parent = found;
				continue;
			}
			known = false;
			if ( dryRun ) {
				if ( ! planned.has( sub ) ) {
					planned.add( sub );
					out.created.push( sub );
					onWrite( sub );
				}
				continue;
			}
			const created = await client.createCategory( {
				name,
				parent_id: parent,
			} );
			byParent.set( key( parent, name ), created.id );
			out.created.push( sub );
			onWrite( sub );
			parent = created.id;
			known = true;
		}
		out.ids.set( path, known ? parent : null );
	}
	return out;
}
