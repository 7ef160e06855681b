/**
 * Previous / next pagination with "Page x of y".
 */
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

interface Props {
	page: number;
	totalPages: number;
	onChange: ( page: number ) => void;
}

/**
 * @param props            Current page, page count and change callback.
 * @param props.page
 * @param props.totalPages
 * @param props.onChange
 */
export function Pagination( { page, totalPages, onChange }: Props ) {
	if ( totalPages <= 1 ) {
		return null;
	}
	return (
		<nav
			className="keycrm-sync-pagination"
			aria-label={ __( 'Pages', 'keycrm-sync' ) }
		>
			<Button
				variant="secondary"
				disabled={ page <= 1 }
				onClick={ () => onChange( page - 1 ) }
			>
				{ __( 'Previous page', 'keycrm-sync' ) }
			</Button>
			<span>
				{ sprintf(
					/* translators: 1: current page, 2: number of pages. */
					__( 'Page %1$d of %2$d', 'keycrm-sync' ),
					page,
					totalPages
				) }
			</span>
			<Button
				variant="secondary"
				disabled={ page >= totalPages }
				onClick={ () => onChange( page + 1 ) }
			>
				{ __( 'Next page', 'keycrm-sync' ) }
			</Button>
		</nav>
	);
}

/** A page of a list as the plugin answers it. */
interface PagedResult {
	page: number;
	total: number;
	per_page: number;
}

/**
 * Pagination of a page of results, the page count derived from total and page size.
 *
 * @param props          The page of results and change callback.
 * @param props.result
 * @param props.onChange
 */
export function ResultPagination( {
	result,
	onChange,
}: {
	result: PagedResult;
	onChange: ( page: number ) => void;
} ) {
	return (
		<Pagination
			page={ result.page }
			totalPages={ Math.ceil(
				result.total / Math.max( 1, result.per_page )
			) }
			onChange={ onChange }
		/>
	);
}
