/**
 * Plain-words formatting of ages, durations, dates and numbers for the screens.
 */
import { dateI18n, getSettings } from '@wordpress/date';
import { __, _n, sprintf } from '@wordpress/i18n';

/**
 * "3 minutes", "2 hours", "5 days" for a duration in seconds.
 *
 * @param seconds Duration in seconds.
 */
export function formatDuration( seconds: number ): string {
	const s = Math.max( 0, Math.round( seconds ) );
	if ( s < 60 ) {
		/* translators: %d: number of seconds. */
		return sprintf( _n( '%d second', '%d seconds', s, 'keycrm-sync' ), s );
	}
	const m = Math.round( s / 60 );
	if ( m < 60 ) {
		/* translators: %d: number of minutes. */
		return sprintf( _n( '%d minute', '%d minutes', m, 'keycrm-sync' ), m );
	}
	const h = Math.round( s / 3600 );
	if ( h < 48 ) {
		/* translators: %d: number of hours. */
		return sprintf( _n( '%d hour', '%d hours', h, 'keycrm-sync' ), h );
	}
	const d = Math.round( s / 86400 );
	/* translators: %d: number of days. */
	return sprintf( _n( '%d day', '%d days', d, 'keycrm-sync' ), d );
}

/**
 * "5 minutes ago" for an ISO timestamp; "never" for null.
 *
 * @param iso ISO-8601 timestamp or null.
 * @param now Current time in ms (for tests).
 */
export function formatAgo(
	iso: string | null,
	now: number = Date.now()
): string {
	if ( ! iso ) {
		return __( 'never', 'keycrm-sync' );
	}
	const t = Date.parse( iso );
	if ( Number.isNaN( t ) ) {
		return iso;
	}
	return sprintf(
		/* translators: %s: a duration, e.g. "5 minutes". */
		__( '%s ago', 'keycrm-sync' ),
		formatDuration( ( now - t ) / 1000 )
	);
}

/**
 * Date and time of an ISO timestamp in the site's timezone, language and date/time formats
 * (Settings → General, which WordPress hands to the wp-date script); an em dash for null.
 *
 * @param iso ISO-8601 timestamp or null.
 */
export function formatDateTime( iso: string | null ): string {
	if ( ! iso ) {
		return '—';
	}
	if ( Number.isNaN( Date.parse( iso ) ) ) {
		return iso;
	}
	return dateI18n( getSettings().formats.datetime, iso, undefined );
}

/**
 * A number with thousands separators; an em dash for null.
 *
 * @param n Number or null.
 */
export function formatNumber( n: number | null | undefined ): string {
	return n === null || n === undefined ? '—' : n.toLocaleString();
}
