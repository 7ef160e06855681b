/**
 * Where the demo gets WordPress and WooCommerce from: local directories (offline) or a download
 * by WordPress Playground (online).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Local directories, or a download (from wordpress.org, or from the given zip URLs). */
export type WordPressSource =
	| { kind: 'local'; wpCoreDir: string; wcDir: string }
	| { kind: 'download'; wpZipUrl: string | null; wcZipUrl: string | null };

/** Neither local directories nor the internet: the message says what is missing. */
export class WordPressUnavailableError extends Error {}

/** Host Playground downloads WordPress and plugins from. */
const DOWNLOAD_PROBE =
	'https://downloads.wordpress.org/plugin/woocommerce.latest-stable.zip';

/**
 * Lists what is wrong with the local directories ([] when both are usable).
 *
 * @param wpCoreDir WordPress core directory.
 * @param wcDir     Built WooCommerce directory.
 */
export function localProblems( wpCoreDir: string, wcDir: string ): string[] {
	const problems: string[] = [];
	if ( ! existsSync( join( wpCoreDir, 'wp-settings.php' ) ) ) {
		problems.push(
			`WP_CORE_DIR=${ wpCoreDir } has no wp-settings.php (not a WordPress core directory)`
		);
	}
	if ( ! existsSync( join( wcDir, 'woocommerce.php' ) ) ) {
		problems.push(
			`WC_DIR=${ wcDir } has no woocommerce.php (not a WooCommerce plugin directory)`
		);
	} else if ( ! existsSync( join( wcDir, 'vendor', 'autoload.php' ) ) ) {
		problems.push(
			`WC_DIR=${ wcDir } has no vendor/autoload.php (WooCommerce must be a built release)`
		);
	}
	return problems;
}

async function canDownload( probe: string ): Promise< boolean > {
	try {
		const response = await fetch( probe, {
			method: 'HEAD',
			signal: AbortSignal.timeout( 8000 ),
		} );
		return response.status < 500;
	} catch {
		return false;
	}
}

/**
 * Picks the source: local directories when both are usable, else a download when its host is
 * reachable, else throws with what is missing.
 *
 * @param wpCoreDir WordPress core directory (WP_CORE_DIR).
 * @param wcDir     Built WooCommerce directory (WC_DIR).
 * @param zips      Zip URLs to download instead of wordpress.org's latest releases.
 * @param zips.wp   WordPress release zip (KEYCRM_DEMO_WP_ZIP_URL), or null.
 * @param zips.wc   WooCommerce plugin zip (KEYCRM_DEMO_WC_ZIP_URL), or null.
 */
export async function resolveWordPressSource(
	wpCoreDir: string,
	wcDir: string,
	zips: { wp: string | null; wc: string | null } = { wp: null, wc: null }
): Promise< WordPressSource > {
	const problems = localProblems( wpCoreDir, wcDir );
	if ( problems.length === 0 ) {
		return { kind: 'local', wpCoreDir, wcDir };
	}
	const probe = zips.wc ?? DOWNLOAD_PROBE;
	if ( await canDownload( probe ) ) {
		return { kind: 'download', wpZipUrl: zips.wp, wcZipUrl: zips.wc };
	}
	throw new WordPressUnavailableError(
		[
			'Cannot get WordPress and WooCommerce:',
			...problems.map( ( p ) => `  - ${ p }` ),
			`  - and ${ new URL( probe ).host } is not reachable, so Playground cannot download them.`,
			'Either connect to the internet, or point WP_CORE_DIR at a WordPress core directory and',
			'WC_DIR at a built WooCommerce (the release zip from wordpress.org, unzipped).',
		].join( '\n' )
	);
}
