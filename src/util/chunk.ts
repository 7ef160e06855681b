/**
 * Splits a list into consecutive chunks of at most `size` items (the last one
 * may be shorter; an empty list gives no chunk).
 *
 * @param items List.
 * @param size  Chunk size (> 0).
 */
export function chunk< T >( items: readonly T[], size: number ): T[][] {
	const out: T[][] = [];
	for ( let i = 0; i < items.length; i += size ) {
		out.push( items.slice( i, i + size ) );
	}
	return out;
}
