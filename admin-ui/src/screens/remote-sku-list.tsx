/**
 * One list of keyCRM SKUs (unknown, unmanaged or drift) with search, pagination and, for drift,
 * "Re-queue" per row and for all.
 */
import { Button, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import type { RemoteSkusResponse } from '@keycrm-sync/contract';
import { getRemoteSkus, requeueDrift, type RemoteSkuList } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import { ErrorNotice } from '../components/error-notice';
import { ResultPagination } from '../components/pagination';
import { SearchFilters } from '../components/search-filters';
import { SuccessNotice } from '../components/success-notice';
import { formatNumber } from '../format';
import { useRequest } from '../hooks/use-request';
import { RemoteSkuTable } from './remote-sku-table';

export const REMOTE_SKUS_PER_PAGE = 50;

interface Texts {
	heading: string;
	description: string;
	searchLabel: string;
	loading: string;
	loadError: string;
	empty: string;
}

/**
 * Headings and messages of each list.
 *
 * @param list Which list.
 */
function texts( list: RemoteSkuList ): Texts {
	const loadError = __( 'Could not load the list.', 'keycrm-sync' );
	switch ( list ) {
		case 'unknown':
			return {
				heading: __( 'Unknown SKUs', 'keycrm-sync' ),
				description: __(
					'keyCRM has stock for these SKUs, but no shop product has them. Give the product the same SKU, or ignore them if the shop does not sell it.',
					'keycrm-sync'
				),
				searchLabel: __( 'Search unknown SKUs', 'keycrm-sync' ),
				loading: __( 'Loading unknown SKUs…', 'keycrm-sync' ),
				loadError,
				empty: __( 'No unknown SKUs.', 'keycrm-sync' ),
			};
		case 'unmanaged':
			return {
				heading: __( 'SKUs without managed stock', 'keycrm-sync' ),
				description: __(
					'These products have the SKU but do not manage their own stock, so keyCRM stock cannot be applied. Turn on "Manage stock" for the product or variation.',
					'keycrm-sync'
				),
				searchLabel: __(
					'Search SKUs without managed stock',
					'keycrm-sync'
				),
				loading: __(
					'Loading SKUs without managed stock…',
					'keycrm-sync'
				),
				loadError,
				empty: __( 'No SKUs without managed stock.', 'keycrm-sync' ),
			};
		case 'drift':
			return {
				heading: __( 'Stock drift', 'keycrm-sync' ),
				description: __(
					'keyCRM has a different stock than the shop for these SKUs. Re-queue them to push the shop’s stock to keyCRM again.',
					'keycrm-sync'
				),
				searchLabel: __( 'Search drifted SKUs', 'keycrm-sync' ),
				loading: __( 'Loading drifted SKUs…', 'keycrm-sync' ),
				loadError,
				empty: __(
					'No drift: keyCRM’s stock matches the shop.',
					'keycrm-sync'
				),
			};
	}
}

interface Props {
	list: RemoteSkuList;
	/** Called after SKUs were re-queued (e.g. to refresh counts). */
	onChanged?: () => void;
}

/**
 * Re-queue state and action of the drift list.
 *
 * @param reload    Reloads the list.
 * @param onChanged Tells the parent.
 */
function useRequeue( reload: () => void, onChanged?: () => void ) {
	const [ busy, setBusy ] = useState< string | null >( null );
	const [ error, setError ] = useState< ApiError | null >( null );
	const [ message, setMessage ] = useState( '' );
	const run = async ( sku?: string ) => {
		setBusy( sku ?? '*' );
		setError( null );
		setMessage( '' );
		try {
			const { requeued } = await requeueDrift(
				sku ? [ sku ] : undefined
			);
			setMessage(
				sprintf(
					/* translators: %s: number of SKUs. */
					_n(
						'%s SKU re-queued: the sender pushes the shop’s stock to keyCRM again.',
						'%s SKUs re-queued: the sender pushes the shop’s stock to keyCRM again.',
						requeued,
						'keycrm-sync'
					),
					formatNumber( requeued )
				)
			);
			reload();
			onChanged?.();
		} catch ( thrown ) {
			setError( toApiError( thrown ) );
		} finally {
			setBusy( null );
		}
	};
	return { busy, error, message, setMessage, run };
}

/**
 * @param props           Which list, and a change callback.
 * @param props.list
 * @param props.onChanged
 */
export function RemoteSkuListSection( { list, onChanged }: Props ) {
	const t = texts( list );
	const [ draft, setDraft ] = useState( '' );
	const [ search, setSearch ] = useState( '' );
	const [ page, setPage ] = useState( 1 );
	const { state: req, reload } = useRequest< RemoteSkusResponse >(
		( signal ) =>
			getRemoteSkus(
				list,
				{
					search: search || undefined,
					page,
					per_page: REMOTE_SKUS_PER_PAGE,
				},
				signal
			),
		[ list, search, page ]
	);
	const requeue = useRequeue( reload, onChanged );
	const data = req.data;
	const headingId = `keycrm-sync-${ list }-heading`;
	return (
		<section aria-labelledby={ headingId } className="keycrm-sync-section">
			<h2 id={ headingId }>
				{ t.heading }
				{ data ? ` (${ formatNumber( data.total ) })` : '' }
			</h2>
			<p className="description">{ t.description }</p>
			<SearchFilters
				label={ t.searchLabel }
				draft={ draft }
				onDraftChange={ setDraft }
				onSearch={ ( term ) => {
					setPage( 1 );
					setSearch( term );
					reload();
				} }
			>
				{ list === 'drift' && data && data.total > 0 && (
					<Button
						variant="secondary"
						isBusy={ requeue.busy === '*' }
						disabled={ requeue.busy !== null }
						onClick={ () => requeue.run() }
					>
						{ __( 'Re-queue all drifted SKUs', 'keycrm-sync' ) }
					</Button>
				) }
			</SearchFilters>
			{ req.status === 'error' && (
				<ErrorNotice
					error={ req.error }
					title={ t.loadError }
					onRetry={ reload }
				/>
			) }
			{ requeue.error && (
				<ErrorNotice
					error={ requeue.error }
					title={ __( 'Re-queue failed.', 'keycrm-sync' ) }
				/>
			) }
			<SuccessNotice
				className="keycrm-sync-live"
				message={ requeue.message }
				onDismiss={ () => requeue.setMessage( '' ) }
			/>
			{ req.status === 'loading' && ! data && (
				<Spinner aria-label={ t.loading } />
			) }
			{ data && data.total === 0 && (
				<p>
					{ search
						? __( 'No SKUs match this search.', 'keycrm-sync' )
						: t.empty }
				</p>
			) }
			{ data && data.total > 0 && (
				<>
					<RemoteSkuTable
						list={ list }
						items={ data.items }
						caption={ t.heading }
						requeueing={ requeue.busy }
						onRequeue={ list === 'drift' ? requeue.run : undefined }
					/>
					<ResultPagination result={ data } onChange={ setPage } />
				</>
			) }
		</section>
	);
}
