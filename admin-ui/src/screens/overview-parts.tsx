/**
 * Pieces of the Overview screen: sender health, keyCRM reachability, counts, throughput.
 */
import { Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { StatusResponse } from '@keycrm-sync/contract';
import type { PageData } from '../api/page-data';
import { SenderCommand } from '../components/sender-command';
import { formatAgo, formatDuration, formatNumber } from '../format';
import { SummaryList, SummaryNumber } from '../wc/wc-components';

/**
 * Sender online/offline, and the fix when offline.
 *
 * @param props        Status and page data.
 * @param props.status GET /status response.
 * @param props.page   Page data.
 */
export function SenderHealth( {
	status,
	page,
}: {
	status: StatusResponse;
	page: PageData;
} ) {
	const sender = status.sender;
	if ( sender?.online ) {
		return (
			<p className="keycrm-sync-health keycrm-sync-health--ok">
				<strong>{ __( 'Sender: online', 'keycrm-sync' ) }</strong>{ ' ' }
				{ sprintf(
					/* translators: 1: "5 seconds ago", 2: sender version. */
					__( 'last seen %1$s, version %2$s', 'keycrm-sync' ),
					formatAgo( sender.last_seen_at ),
					sender.version
				) }{ ' ' }
				{ __(
					'The Node.js sender is sending; the sync inside WordPress stands by.',
					'keycrm-sync'
				) }
			</p>
		);
	}
	if ( status.runner.runner === 'wordpress' ) {
		return <InWordPressHealth status={ status } page={ page } />;
	}
	return (
		<Notice status="warning" isDismissible={ false }>
			<p>
				<strong>{ __( 'Sender: offline', 'keycrm-sync' ) }</strong>{ ' ' }
				{ sender
					? sprintf(
							/* translators: %s: "5 minutes ago". */
							__(
								'last seen %s. Changes are queued but nothing reaches keyCRM until it runs.',
								'keycrm-sync'
							),
							formatAgo( sender.last_seen_at )
						)
					: __(
							'no sender has connected yet. Changes are queued but nothing reaches keyCRM until it runs.',
							'keycrm-sync'
						) }
			</p>
			<p>
				{ __(
					'Fix: start the sender with this command (create its application password under Settings):',
					'keycrm-sync'
				) }
			</p>
			<SenderCommand page={ page } allowCreate={ false } />
		</Notice>
	);
}

/** A run older than this while SKUs wait means the queue is not running (ms). */
const STALE_RUN_MS = 10 * 60 * 1000;

/**
 * The runner inside WordPress sends: when it last ran, and what to do when WP-Cron does not run it.
 *
 * @param props        Status and page data.
 * @param props.status GET /status response.
 * @param props.page   Page data.
 */
function InWordPressHealth( {
	status,
	page,
}: {
	status: StatusResponse;
	page: PageData;
} ) {
	const { runner } = status;
	const lastRun = runner.last_run_at
		? Date.parse( runner.last_run_at )
		: null;
	const stale =
		status.dirty > 0 &&
		( lastRun === null || Date.now() - lastRun > STALE_RUN_MS );
	return (
		<>
			<p className="keycrm-sync-health keycrm-sync-health--ok">
				<strong>
					{ __( 'Syncing inside WordPress', 'keycrm-sync' ) }
				</strong>{ ' ' }
				{ runner.last_run_at
					? sprintf(
							/* translators: %s: "20 seconds ago". */
							__( '(last run %s)', 'keycrm-sync' ),
							formatAgo( runner.last_run_at )
						)
					: __( '(not run yet)', 'keycrm-sync' ) }
			</p>
			{ stale && (
				<Notice status="warning" isDismissible={ false }>
					<p>
						{ runner.cron_disabled
							? __(
									'WP-Cron is turned off on this site (DISABLE_WP_CRON) and the sync has not run lately. Set up a system cron that runs every minute, with one of these lines:',
									'keycrm-sync'
								)
							: __(
									'WP-Cron has not run the sync lately (WP-Cron runs only when someone visits the site). Set up a system cron that runs every minute, with one of these lines:',
									'keycrm-sync'
								) }
					</p>
					<pre>{ `* * * * * wp --path=/path/to/wordpress action-scheduler run\n* * * * * curl -s ${ page.siteUrl.replace(
						/\/$/,
						''
					) }/wp-cron.php >/dev/null` }</pre>
				</Notice>
			) }
			<p className="description">
				{ __(
					'For big catalogues the Node.js sender is faster; while it runs, it sends instead:',
					'keycrm-sync'
				) }
			</p>
			<SenderCommand page={ page } allowCreate={ false } />
		</>
	);
}

/**
 * keyCRM reachable, or its last error.
 *
 * @param props        Status.
 * @param props.status GET /status response.
 */
export function KeyCrmHealth( { status }: { status: StatusResponse } ) {
	const sender =
		status.runner.runner === 'wordpress' && status.runner.last_run_at
			? status.runner
			: status.sender;
	if ( ! sender ) {
		return (
			<p>
				{ __(
					'keyCRM: unknown until the sender runs.',
					'keycrm-sync'
				) }
			</p>
		);
	}
	const errorIsLatest =
		sender.last_error &&
		( ! sender.last_success_at ||
			Date.parse( sender.last_error_at ?? '' ) >=
				Date.parse( sender.last_success_at ) );
	if ( errorIsLatest ) {
		return (
			<Notice status="error" isDismissible={ false }>
				<strong>
					{ __( 'keyCRM: last request failed', 'keycrm-sync' ) }
				</strong>{ ' ' }
				{ sprintf(
					/* translators: 1: error message from keyCRM or the network, 2: "3 minutes ago". */
					__( '%1$s (%2$s)', 'keycrm-sync' ),
					sender.last_error ?? '',
					formatAgo( sender.last_error_at )
				) }
			</Notice>
		);
	}
	return (
		<p className="keycrm-sync-health keycrm-sync-health--ok">
			<strong>{ __( 'keyCRM: reachable', 'keycrm-sync' ) }</strong>{ ' ' }
			{ sprintf(
				/* translators: %s: "3 minutes ago" or "never". */
				__( 'last successful request %s', 'keycrm-sync' ),
				formatAgo( sender.last_success_at )
			) }
		</p>
	);
}

/**
 * Counts per state and the backlog numbers.
 *
 * @param props        Status.
 * @param props.status GET /status response.
 */
export function Counts( { status }: { status: StatusResponse } ) {
	const c = status.counts;
	const numbers: Array< [ string, number ] > = [
		[ __( 'SKUs', 'keycrm-sync' ), status.total ],
		[ __( 'Synced', 'keycrm-sync' ), c.synced ],
		[ __( 'Pending', 'keycrm-sync' ), c.pending ],
		[ __( 'Failed', 'keycrm-sync' ), c.failed ],
		[ __( 'Gave up', 'keycrm-sync' ), c.dead ],
		[ __( 'Skipped', 'keycrm-sync' ), c.skipped ],
	];
	return (
		<div className="keycrm-sync-counts">
			<SummaryList label={ __( 'SKUs per state', 'keycrm-sync' ) }>
				{ () =>
					numbers.map( ( [ label, value ] ) => (
						<SummaryNumber
							key={ label }
							label={ label }
							value={ formatNumber( value ) }
						/>
					) )
				}
			</SummaryList>
		</div>
	);
}

/**
 * "nothing to do", the ETA, or a dash when unknown.
 *
 * @param dirty Rows waiting.
 * @param eta   Sender's estimate in seconds (null/undefined when unknown).
 */
function etaText( dirty: number, eta: number | null | undefined ): string {
	if ( dirty === 0 ) {
		return __( 'nothing to do', 'keycrm-sync' );
	}
	return eta === null || eta === undefined ? '—' : formatDuration( eta );
}

/**
 * Oldest pending age, throughput and ETA.
 *
 * @param props        Status.
 * @param props.status GET /status response.
 */
export function Throughput( { status }: { status: StatusResponse } ) {
	const sender = status.sender;
	const eta = sender?.eta_seconds;
	return (
		<dl className="keycrm-sync-facts">
			<dt>{ __( 'Waiting to sync', 'keycrm-sync' ) }</dt>
			<dd>{ formatNumber( status.dirty ) }</dd>
			<dt>{ __( 'Oldest pending change', 'keycrm-sync' ) }</dt>
			<dd>
				{ status.oldest_pending_age_seconds === null
					? __( 'none', 'keycrm-sync' )
					: formatDuration( status.oldest_pending_age_seconds ) }
			</dd>
			<dt>{ __( 'Throughput', 'keycrm-sync' ) }</dt>
			<dd>
				{ sender?.online
					? sprintf(
							/* translators: 1: SKUs synced per minute, 2: keyCRM requests per minute. */
							__(
								'%1$s SKUs/min, %2$s keyCRM requests/min',
								'keycrm-sync'
							),
							formatNumber( sender.synced_last_minute ?? 0 ),
							formatNumber( sender.requests_last_minute ?? 0 )
						)
					: '—' }
			</dd>
			<dt>{ __( 'Estimated time left', 'keycrm-sync' ) }</dt>
			<dd>{ etaText( status.dirty, sender?.online ? eta : null ) }</dd>
		</dl>
	);
}
