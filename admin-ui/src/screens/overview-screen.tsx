/**
 * Overview: is the sync working, what is waiting, "Resync all" with live progress, "Retry failed".
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
	Spinner,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import { retryItems, startResync } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import type { PageData } from '../api/page-data';
import { ErrorNotice } from '../components/error-notice';
import type { StatusPoll } from '../hooks/use-status';
import { formatDateTime, formatNumber } from '../format';
import {
	Counts,
	KeyCrmHealth,
	SenderHealth,
	Throughput,
} from './overview-parts';

interface Props {
	poll: StatusPoll;
	page: PageData;
	/** Switches to another tab (e.g. "problems", "settings"). */
	onNavigate: ( tab: string ) => void;
}

/**
 * @param props            Status poll, page data and navigation.
 * @param props.poll
 * @param props.page
 * @param props.onNavigate
 */
export function OverviewScreen( { poll, page, onNavigate }: Props ) {
	const { status, error, loading, refresh } = poll;
	if ( ! status ) {
		if ( loading ) {
			return (
				<Spinner
					aria-label={ __( 'Loading status…', 'keycrm-sync' ) }
				/>
			);
		}
		return (
			<ErrorNotice
				error={ error! }
				title={ __( 'Could not load the sync status.', 'keycrm-sync' ) }
				onRetry={ refresh }
			/>
		);
	}
	return (
		<div className="keycrm-sync-overview">
			{ error && (
				<ErrorNotice
					error={ error }
					title={ __(
						'Could not refresh the sync status.',
						'keycrm-sync'
					) }
					onRetry={ refresh }
				/>
			) }
			{ ! status.settings_complete && (
				<Notice
					status="warning"
					isDismissible={ false }
					actions={ [
						{
							label: __( 'Open Settings', 'keycrm-sync' ),
							onClick: () => onNavigate( 'settings' ),
						},
					] }
				>
					{ __(
						'Setup is not finished: enter the keyCRM API key and the warehouse in Settings.',
						'keycrm-sync'
					) }
				</Notice>
			) }
			{ status.needs_resync && (
				<Notice status="warning" isDismissible={ false }>
					{ sprintf(
						/* translators: %s: date and time. */
						__(
							'Since %s some product changes could not be recorded (the database refused them). The next sync run marks every product to be sent again, so nothing stays behind; this notice then disappears.',
							'keycrm-sync'
						),
						formatDateTime( status.needs_resync.since )
					) }
				</Notice>
			) }
			<Card>
				<CardHeader>
					<h2>{ __( 'Health', 'keycrm-sync' ) }</h2>
				</CardHeader>
				<CardBody>
					<SenderHealth status={ status } page={ page } />
					<KeyCrmHealth status={ status } />
					{ status.problems > 0 && (
						<p>
							{ sprintf(
								/* translators: %d: number of products with SKU problems. */
								_n(
									'%d product has a SKU problem and is not synced.',
									'%d products have SKU problems and are not synced.',
									status.problems,
									'keycrm-sync'
								),
								status.problems
							) }{ ' ' }
							<Button
								variant="link"
								onClick={ () => onNavigate( 'problems' ) }
							>
								{ __( 'See SKU problems', 'keycrm-sync' ) }
							</Button>
						</p>
					) }
				</CardBody>
			</Card>
			<Card>
				<CardHeader>
					<h2>{ __( 'SKUs', 'keycrm-sync' ) }</h2>
				</CardHeader>
				<CardBody>
					{ status.total === 0 ? (
						<p>
							{ __(
								'No SKUs are tracked yet. Click "Resync all" to queue every product with a SKU.',
								'keycrm-sync'
							) }
						</p>
					) : (
						<Counts status={ status } />
					) }
					<Throughput status={ status } />
				</CardBody>
			</Card>
			<Actions poll={ poll } />
		</div>
	);
}

/**
 * "Resync all" with progress and "Retry failed".
 *
 * @param props      Status poll.
 * @param props.poll The status poll.
 */
function Actions( { poll }: { poll: StatusPoll } ) {
	const status = poll.status!;
	const [ busy, setBusy ] = useState< 'resync' | 'retry' | null >( null );
	const [ error, setError ] = useState< ApiError | null >( null );
	const [ message, setMessage ] = useState( '' );
	const failed = status.counts.failed + status.counts.dead;

	const run = async ( kind: 'resync' | 'retry' ) => {
		setBusy( kind );
		setError( null );
		setMessage( '' );
		try {
			if ( kind === 'resync' ) {
				const res = await startResync();
				setMessage(
					sprintf(
						/* translators: %s: number of SKUs. */
						__( 'Resync started: %s SKUs queued.', 'keycrm-sync' ),
						formatNumber( res.marked )
					)
				);
			} else {
				const res = await retryItems();
				setMessage(
					sprintf(
						/* translators: %s: number of SKUs. */
						__( '%s SKUs queued for retry.', 'keycrm-sync' ),
						formatNumber( res.retried )
					)
				);
			}
			poll.refresh();
		} catch ( thrown ) {
			setError( toApiError( thrown ) );
		} finally {
			setBusy( null );
		}
	};

	const { resync } = status;
	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Actions', 'keycrm-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<div className="keycrm-sync-actions">
					<Button
						variant="primary"
						onClick={ () => run( 'resync' ) }
						isBusy={ busy === 'resync' }
						disabled={ busy !== null || resync.running }
					>
						{ __( 'Resync all', 'keycrm-sync' ) }
					</Button>
					<Button
						variant="secondary"
						onClick={ () => run( 'retry' ) }
						isBusy={ busy === 'retry' }
						disabled={ busy !== null || failed === 0 }
					>
						{ sprintf(
							/* translators: %s: number of failed SKUs. */
							__( 'Retry failed (%s)', 'keycrm-sync' ),
							formatNumber( failed )
						) }
					</Button>
				</div>
				<p className="description">
					{ __(
						'Resync all sends every SKU to keyCRM again, at the rate budget set in Settings.',
						'keycrm-sync'
					) }
				</p>
				{ error && (
					<ErrorNotice
						error={ error }
						title={ __( 'The action failed.', 'keycrm-sync' ) }
					/>
				) }
				<div
					aria-live="polite"
					role="status"
					className="keycrm-sync-progress"
				>
					{ message && <p>{ message }</p> }
					{ resync.total > 0 && <ResyncProgress resync={ resync } /> }
				</div>
			</CardBody>
		</Card>
	);
}

/**
 * @param props                Resync state.
 * @param props.resync         The `resync` block of GET /status.
 * @param props.resync.running
 * @param props.resync.total
 * @param props.resync.done
 * @param props.resync.percent
 */
function ResyncProgress( {
	resync,
}: {
	resync: { running: boolean; total: number; done: number; percent: number };
} ) {
	const percent = Math.max(
		0,
		Math.min( 100, Math.round( resync.percent ) )
	);
	const text = resync.running
		? sprintf(
				/* translators: 1: SKUs done, 2: SKUs in the resync, 3: percent. */
				__( 'Resync: %1$s of %2$s SKUs (%3$d %%)', 'keycrm-sync' ),
				formatNumber( resync.done ),
				formatNumber( resync.total ),
				percent
			)
		: sprintf(
				/* translators: 1: SKUs done, 2: SKUs in the resync, 3: percent. */
				__(
					'Resync finished: %1$s of %2$s SKUs (%3$d %%)',
					'keycrm-sync'
				),
				formatNumber( resync.done ),
				formatNumber( resync.total ),
				percent
			);
	return (
		<div>
			<progress
				max={ 100 }
				value={ percent }
				aria-label={ __( 'Resync progress', 'keycrm-sync' ) }
			/>
			<p data-testid="resync-progress">{ text }</p>
		</div>
	);
}
