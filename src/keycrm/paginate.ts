/**
 * Following keyCRM's paginated lists.
 */
import type { Page } from './schemas.js';

/**
 * Iterate the items of every page of a list call, starting at page 1, until
 * the last page. `fetchPage` receives the page number.
 *
 * @param fetchPage Fetches one page.
 */
export async function* paginate< T >(
	fetchPage: ( page: number ) => Promise< Page< T > >
): AsyncGenerator< T, void, undefined > {
	for ( let page = 1; ; page++ ) {
		const result = await fetchPage( page );
		yield* result.data;
		if (
			result.next_page_url === null ||
			result.current_page >= result.last_page ||
			result.data.length === 0
		) {
			return;
		}
	}
}
