/**
 * Stock from keyCRM: pull state, "Pull stock now", unknown / unmanaged SKUs and (WooCommerce
 * mode) the SKUs whose keyCRM stock drifted from the shop's.
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { StockSourceStatus } from '@keycrm-sync/contract';
import { getStockStatus, requestStockPull } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import { ErrorNotice } from '../components/error-notice';
import { LoadState } from '../components/load-state';
import { SuccessNotice } from '../components/success-notice';
import { useRequest } from '../hooks/use-request';
import { RemoteSkuListSection } from './remote-sku-list';
import { StockPullFacts } from './stock-pull-panel';

interface Props {
	/** Status refresh interval while a pull is requested or running (tests shorten it). */
	pollMs?: number;
}

/**
 * "Pull stock now": requests a pull and keeps the answer's pull state.
 *
 * @param status Current status (null while loading).
 * @param update Replaces the status.
 */
function usePullNow(
	status: StockSourceStatus | null,
	update: ( next: StockSourceStatus ) => void
) {
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState< ApiError | null >( null );
	const [ message, setMessage ] = useState( '' );
	const pullNow = async () => {
		setBusy( true );
		setError( null );
		setMessage( '' );
		try {
			const pull = await requestStockPull();
			if ( status ) {
				update( { ...status, pull } );
			}
			setMessage(
				__(
					'Pull requested. The sender reads keyCRM’s stock when it next checks in; this page updates when it is done.',
					'keycrm-sync'
				)
			);
		} catch ( thrown ) {
			setError( toApiError( thrown ) );
		} finally {
			setBusy( false );
		}
	};
	return { busy, error, message, setMessage, pullNow };
}

/**
 * @param props        Polling interval.
 * @param props.pollMs
 */
export function StockScreen( { pollMs = 5000 }: Props ) {
	const {
		state: req,
		reload,
		setData,
	} = useRequest< StockSourceStatus >(
		( signal ) => getStockStatus( signal ),
		[]
	);
	const pull = usePullNow( req.data, setData );
	const data = req.data;
	const waiting =
		req.status === 'ready' &&
		( data?.pull.reason === 'requested' ||
			data?.pull.reason === 'running' );
	useEffect( () => {
		if ( ! waiting ) {
			return undefined;
		}
		const timer = setTimeout( reload, pollMs );
		return () => clearTimeout( timer );
	}, [ waiting, reload, pollMs, data ] );

	return (
		<>
			<Card>
				<CardHeader>
					<h2>{ __( 'Stock from keyCRM', 'keycrm-sync' ) }</h2>
				</CardHeader>
				<CardBody>
					<p className="description">
						{ __(
							'The sender reads keyCRM’s stock every pull interval. In keyCRM mode it applies it to the shop (the stock webhook does the same between pulls); in WooCommerce mode it lists the SKUs whose stock differs.',
							'keycrm-sync'
						) }
					</p>
					<LoadState
						req={ req }
						reload={ reload }
						errorTitle={ __(
							'Could not load the stock pull status.',
							'keycrm-sync'
						) }
						loadingLabel={ __(
							'Loading stock pull status…',
							'keycrm-sync'
						) }
					/>
					{ data && <StockPullFacts status={ data } /> }
					<div className="keycrm-sync-actions">
						<Button
							variant="primary"
							onClick={ pull.pullNow }
							isBusy={ pull.busy }
							disabled={ pull.busy || ! data }
						>
							{ __( 'Pull stock now', 'keycrm-sync' ) }
						</Button>
					</div>
					{ pull.error && (
						<ErrorNotice
							error={ pull.error }
							title={ __(
								'Could not request a pull.',
								'keycrm-sync'
							) }
						/>
					) }
					<SuccessNotice
						className="keycrm-sync-live"
						message={ pull.message }
						onDismiss={ () => pull.setMessage( '' ) }
					/>
				</CardBody>
			</Card>
			{ data && (
				<Card>
					<CardBody>
						{ data.pull.stock_source === 'woocommerce' && (
							<RemoteSkuListSection
								list="drift"
								onChanged={ reload }
							/>
						) }
						<RemoteSkuListSection list="unknown" />
						<RemoteSkuListSection list="unmanaged" />
					</CardBody>
				</Card>
			) }
		</>
	);
}
