/**
 * Items: per-SKU state with search, state filter, server-side pagination and retry per row.
 */
import { Card, CardBody, SelectControl, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import { ItemState, type ItemsResponse } from '@keycrm-sync/contract';
import { getItems, retryItems } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import { ErrorNotice } from '../components/error-notice';
import { Pagination } from '../components/pagination';
import { SearchFilters } from '../components/search-filters';
import { stateLabel } from '../components/state-badge';
import { SuccessNotice } from '../components/success-notice';
import { formatNumber } from '../format';
import { useRequest } from '../hooks/use-request';
import { ItemsTable } from './items-table';

export const ITEMS_PER_PAGE = 50;

/** The Items tab. */
export function ItemsScreen() {
	const [ draft, setDraft ] = useState( '' );
	const [ search, setSearch ] = useState( '' );
	const [ state, setState ] = useState< ItemState | '' >( '' );
	const [ page, setPage ] = useState( 1 );
	const [ retrying, setRetrying ] = useState< string | null >( null );
	const [ actionError, setActionError ] = useState< ApiError | null >( null );
	const [ message, setMessage ] = useState( '' );

	const { state: req, reload } = useRequest< ItemsResponse >(
		( signal ) =>
			getItems(
				{
					search: search || undefined,
					state: state || undefined,
					page,
					per_page: ITEMS_PER_PAGE,
				},
				signal
			),
		[ search, state, page ]
	);

	const retry = async ( sku: string ) => {
		setRetrying( sku );
		setActionError( null );
		try {
			await retryItems( [ sku ] );
			setMessage(
				/* translators: %s: SKU. */
				sprintf( __( '%s queued for retry.', 'keycrm-sync' ), sku )
			);
			reload();
		} catch ( thrown ) {
			setActionError( toApiError( thrown ) );
		} finally {
			setRetrying( null );
		}
	};

	const stateOptions = [
		{ label: __( 'All states', 'keycrm-sync' ), value: '' },
		...ItemState.options.map( ( s ) => ( {
			label: stateLabel( s ),
			value: s,
		} ) ),
	];
	const data = req.data;
	return (
		<Card>
			<CardBody>
				<SearchFilters
					label={ __( 'Search SKU or product', 'keycrm-sync' ) }
					draft={ draft }
					onDraftChange={ setDraft }
					onSearch={ ( term ) => {
						setPage( 1 );
						setSearch( term );
						// Submitting the same search again refreshes the page of rows.
						reload();
					} }
				>
					<SelectControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'State', 'keycrm-sync' ) }
						value={ state }
						options={ stateOptions }
						onChange={ ( value: string ) => {
							setPage( 1 );
							setState(
								value === '' ? '' : ItemState.parse( value )
							);
						} }
					/>
				</SearchFilters>
				{ req.status === 'error' && (
					<ErrorNotice
						error={ req.error }
						title={ __(
							'Could not load the SKUs.',
							'keycrm-sync'
						) }
						onRetry={ reload }
					/>
				) }
				{ actionError && (
					<ErrorNotice
						error={ actionError }
						title={ __( 'Retry failed.', 'keycrm-sync' ) }
					/>
				) }
				<SuccessNotice
					className="keycrm-sync-live"
					message={ message }
					onDismiss={ () => setMessage( '' ) }
				/>
				{ req.status === 'loading' && ! data && (
					<Spinner
						aria-label={ __( 'Loading SKUs…', 'keycrm-sync' ) }
					/>
				) }
				{ data && data.total === 0 && (
					<p>
						{ search || state
							? __(
									'No SKUs match these filters.',
									'keycrm-sync'
								)
							: __(
									'No SKUs are tracked yet. Run "Resync all" on the Overview tab.',
									'keycrm-sync'
								) }
					</p>
				) }
				{ data && data.total > 0 && (
					<>
						<p className="keycrm-sync-count">
							{ sprintf(
								/* translators: %s: number of SKUs. */
								_n(
									'%s SKU',
									'%s SKUs',
									data.total,
									'keycrm-sync'
								),
								formatNumber( data.total )
							) }
							{ req.status === 'loading' && <Spinner /> }
						</p>
						<ItemsTable
							items={ data.items }
							retrying={ retrying }
							onRetry={ retry }
						/>
						<Pagination
							page={ data.page }
							totalPages={ data.total_pages }
							onChange={ setPage }
						/>
					</>
				) }
			</CardBody>
		</Card>
	);
}
