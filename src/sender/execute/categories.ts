/**
 * Categories: find or create the paths keyCRM lacks, and forget a remembered
 * category id keyCRM rejects.
 */
import type { CategoryRecord } from '../../contract/plugin-rest.js';
import { ensureCategoryPath, readCategoryTree } from '../../push/categories.js';
import { categoryPathKey, type CategoriesCall } from '../plan-categories.js';
import type { ExecContext } from './context.js';

/**
 * Whether keyCRM rejected a category id this run did not see in keyCRM's
 * category list (one remembered from an earlier run, since deleted in
 * keyCRM): it is marked stale so its paths are found (or created) again, and
 * the rows that carried it stay in hand instead of failing.
 *
 * @param ctx     Context.
 * @param id      The category id sent (undefined: none).
 * @param message keyCRM's rejection.
 */
export function staleCategory(
	ctx: ExecContext,
	id: number | undefined,
	message: string
): boolean {
	const { state } = ctx;
	if ( id === undefined || ! /category[_ ]id/i.test( message ) ) {
		return false;
	}
	if (
		state.categoryTree &&
		new Set( state.categoryTree.values() ).has( id )
	) {
		return false;
	}
	state.staleCategories.add( id );
	for ( const [ key, known ] of state.categories ) {
		if ( known === id ) {
			state.categories.delete( key );
		}
	}
	return true;
}

/**
 * The `categories` call: find or create category paths (keyCRM's tree is
 * read once per run), record their ids in the run state and hand them to the
 * plugin to remember.
 *
 * @param call The call.
 * @param ctx  Context.
 */
export async function performCategories(
	call: CategoriesCall,
	ctx: ExecContext
): Promise< void > {
	const { client, state } = ctx;
	if ( state.categoryTree === null ) {
		state.categoryTree = ( await readCategoryTree( client ) ).tree;
	}
	const records: CategoryRecord[] = [];
	try {
		for ( const path of call.paths ) {
			const names = path.map( ( l ) => l.name );
			const ids = await ensureCategoryPath(
				client,
				state.categoryTree,
				names
			);
			path.forEach( ( level, i ) => {
				const id = ids[ i ] as number;
				state.categories.set(
					categoryPathKey( names.slice( 0, i + 1 ) ),
					id
				);
				if ( level.term_id > 0 ) {
					records.push( {
						term_id: level.term_id,
						keycrm_id: id,
						name: level.name,
						parent_keycrm_id:
							i > 0 ? ( ids[ i - 1 ] as number ) : null,
					} );
				}
			} );
		}
	} finally {
		if ( records.length ) {
			ctx.onCategories?.( records );
		}
	}
}
