/**
 * Stock pull facts: source of truth, last and next pull, last result and the stock inbox.
 */
import { __, _n, sprintf } from '@wordpress/i18n';

import {
	StockOutcome,
	type StockPullResult,
	type StockPullState,
	type StockSourceStatus,
} from '@keycrm-sync/contract';
import { formatAgo, formatDateTime, formatNumber } from '../format';

/**
 * Plain-words name of a per-SKU outcome of a pull.
 *
 * @param outcome Outcome key as the plugin reports it.
 */
export function outcomeLabel( outcome: string ): string {
	if ( outcome === 'skipped' ) {
		return __( 'without SKU (skipped)', 'keycrm-sync' );
	}
	const parsed = StockOutcome.safeParse( outcome );
	if ( ! parsed.success ) {
		return outcome;
	}
	const labels: Record< StockOutcome, string > = {
		applied: __( 'applied', 'keycrm-sync' ),
		unchanged: __( 'unchanged', 'keycrm-sync' ),
		unknown: __( 'unknown SKU', 'keycrm-sync' ),
		duplicate: __( 'duplicate SKU', 'keycrm-sync' ),
		unmanaged: __( 'stock not managed', 'keycrm-sync' ),
		drift: __( 'drift', 'keycrm-sync' ),
		in_sync: __( 'in sync', 'keycrm-sync' ),
		pending: __( 'shop change on its way', 'keycrm-sync' ),
		superseded: __( 'older than a value already applied', 'keycrm-sync' ),
	};
	return labels[ parsed.data ];
}

/**
 * When the next pull happens, in plain words.
 *
 * @param pull Pull state.
 */
export function nextPullText( pull: StockPullState ): string {
	switch ( pull.reason ) {
		case 'running':
			return sprintf(
				/* translators: %s: "5 seconds ago". */
				__( 'Running now (started %s).', 'keycrm-sync' ),
				formatAgo( pull.last_started_at )
			);
		case 'requested':
			return sprintf(
				/* translators: %s: "5 seconds ago". */
				__(
					'Requested %s; the sender starts it when it next checks in.',
					'keycrm-sync'
				),
				formatAgo( pull.requested_at )
			);
		case 'interval_off':
			return __(
				'Automatic pulls are off (set a pull interval under Settings).',
				'keycrm-sync'
			);
		case 'interval':
			return __(
				'Due now; the sender starts it when it next checks in.',
				'keycrm-sync'
			);
		case 'not_yet':
			return nextAt( pull );
	}
}

function nextAt( pull: StockPullState ): string {
	const finished = pull.last_finished_at
		? Date.parse( pull.last_finished_at )
		: NaN;
	const at = Number.isNaN( finished )
		? null
		: new Date( finished + pull.interval_minutes * 60000 ).toISOString();
	return sprintf(
		/* translators: 1: date and time, 2: number of minutes. */
		_n(
			'%1$s (every %2$d minute)',
			'%1$s (every %2$d minutes)',
			pull.interval_minutes,
			'keycrm-sync'
		),
		formatDateTime( at ),
		pull.interval_minutes
	);
}

/**
 * What the last finished pull did, in plain words.
 *
 * @param result Last result, or null before the first pull.
 */
export function lastResultText( result: StockPullResult | null ): string {
	if ( ! result ) {
		return __( 'No pull has finished yet.', 'keycrm-sync' );
	}
	const scanned = formatNumber( result.scanned );
	const pages = formatNumber( result.pages );
	const summary = result.complete
		? sprintf(
				/* translators: 1: number of SKUs, 2: number of pages. */
				__( 'Complete. SKUs read: %1$s, pages: %2$s.', 'keycrm-sync' ),
				scanned,
				pages
			)
		: sprintf(
				/* translators: 1: number of SKUs, 2: number of pages. */
				__(
					'Incomplete. SKUs read: %1$s, pages: %2$s.',
					'keycrm-sync'
				),
				scanned,
				pages
			);
	const counts = Object.entries( result.counts )
		.filter( ( [ , n ] ) => n > 0 )
		.map( ( [ k, n ] ) => `${ outcomeLabel( k ) }: ${ formatNumber( n ) }` )
		.join( ', ' );
	return counts ? `${ summary } ${ counts }` : summary;
}

/**
 * The oldest stock batch still waiting, in plain words.
 *
 * @param row The batch.
 */
export function oldestPendingText(
	row: NonNullable< StockSourceStatus[ 'inbox' ][ 'oldest_pending' ] >
): string {
	const progress = sprintf(
		/* translators: 1: items applied, 2: items in the batch, 3: "5 minutes ago". */
		__( '%1$s of %2$s items applied, received %3$s', 'keycrm-sync' ),
		formatNumber( row.applied_items ),
		formatNumber( row.items ),
		formatAgo( row.received_at )
	);
	const parts: string[] = [ progress ];
	if ( row.stuck ) {
		parts.push(
			__(
				'stuck: WP-Cron has not finished it; check that WP-Cron runs (a real cron job calling wp-cron.php)',
				'keycrm-sync'
			)
		);
	}
	if ( row.attempts > 0 && row.last_error ) {
		parts.push(
			sprintf(
				/* translators: 1: number of attempts, 2: error message. */
				__( 'attempt %1$s failed: %2$s', 'keycrm-sync' ),
				formatNumber( row.attempts ),
				row.last_error
			)
		);
	}
	return parts.join( '; ' );
}

/**
 * @param props        Status of the stock source.
 * @param props.status GET /stock-source/status response.
 */
export function StockPullFacts( { status }: { status: StockSourceStatus } ) {
	const { pull, inbox } = status;
	return (
		<dl className="keycrm-sync-facts">
			<dt>{ __( 'Stock source of truth', 'keycrm-sync' ) }</dt>
			<dd>
				{ pull.stock_source === 'keycrm'
					? __(
							'keyCRM (its stock is applied to the shop)',
							'keycrm-sync'
						)
					: __(
							'WooCommerce (the pull only looks for drift)',
							'keycrm-sync'
						) }
			</dd>
			<dt>{ __( 'Last pull', 'keycrm-sync' ) }</dt>
			<dd>
				{ pull.last_finished_at
					? sprintf(
							/* translators: 1: "5 minutes ago", 2: date and time. */
							__( 'finished %1$s (%2$s)', 'keycrm-sync' ),
							formatAgo( pull.last_finished_at ),
							formatDateTime( pull.last_finished_at )
						)
					: __( 'never', 'keycrm-sync' ) }
			</dd>
			<dt>{ __( 'Next pull', 'keycrm-sync' ) }</dt>
			<dd aria-live="polite">{ nextPullText( pull ) }</dd>
			<dt>{ __( 'Last result', 'keycrm-sync' ) }</dt>
			<dd aria-live="polite">{ lastResultText( pull.last_result ) }</dd>
			{ pull.last_result?.error && (
				<>
					<dt>{ __( 'Last pull error', 'keycrm-sync' ) }</dt>
					<dd className="keycrm-sync-error">
						{ pull.last_result.error }
					</dd>
				</>
			) }
			<dt>{ __( 'Stock updates received', 'keycrm-sync' ) }</dt>
			<dd>
				{ sprintf(
					/* translators: 1: batches waiting, 2: batches applied, 3: batches failed. */
					__(
						'%1$s waiting, %2$s applied, %3$s failed',
						'keycrm-sync'
					),
					formatNumber( inbox.pending ),
					formatNumber( inbox.applied ),
					formatNumber( inbox.failed )
				) }
			</dd>
			{ inbox.oldest_pending && (
				<>
					<dt>{ __( 'Oldest waiting batch', 'keycrm-sync' ) }</dt>
					<dd
						className={
							inbox.oldest_pending.stuck
								? 'keycrm-sync-error'
								: undefined
						}
						data-testid="oldest-pending"
					>
						{ oldestPendingText( inbox.oldest_pending ) }
					</dd>
				</>
			) }
		</dl>
	);
}
