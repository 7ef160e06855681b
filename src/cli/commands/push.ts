/**
 * `keycrm-sync push`: push an ERP stock export (CSV or JSON) to keyCRM.
 */
import { readFile } from 'node:fs/promises';

import { createKeyCrmClient } from '../../keycrm/client.js';
import { formatOfPath, parseStockFile } from '../../push/parse-stock-file.js';
import { runPush } from '../../push/run-push.js';
import { optFlag, optInt, optString, requireString } from '../options.js';
import { CliUsageError, type CliCommand, type CliValues } from '../types.js';

const DEFAULT_URL = 'https://openapi.keycrm.app/v1';
/** Errors printed before "… and N more". */
const MAX_ERRORS_SHOWN = 100;

const HELP = `Usage: keycrm-sync push --file stock.csv|stock.json --warehouse ID [options]

Push an ERP export (sku, quantity, optional price) to keyCRM: stock is set
as the absolute level of warehouse ID (PUT /offers/stocks), prices with
PUT /offers; 10,000 rows per request. keyCRM's current stock is read first,
so only changed rows are sent; SKUs keyCRM does not know are listed and
skipped. The whole file is validated first: any error (reported with its
line number) stops the push before anything is sent.

File formats:
  CSV   ";" or "," (or tab) separated, optional UTF-8 BOM, quoted fields,
        blank lines ignored; a header row names the columns (sku, quantity
        or qty or stock, price) in any order; without a header the columns
        are sku, quantity[, price]. Decimals: 2.5 or 2,5.
  JSON  [{"sku": "A-1", "quantity": 5, "price": 12.5}, ...] or {"items": [...]}

Options:
  --file F               The export (.json → JSON, anything else → CSV) (required)
  --warehouse ID         keyCRM warehouse id (required)
  --dry-run              Read keyCRM, print what would change, send nothing
  --quiet                Do not list every change (summary only)
  --api-key K            keyCRM API key (default: $KEYCRM_API_KEY)
  --keycrm-url URL       API root (default: $KEYCRM_API_URL or ${ DEFAULT_URL })
  --rate-per-minute N    Request budget (default 60, keyCRM's limit per key)
  -h, --help             Show this help

Exit codes: 0 done, 1 keyCRM error, 2 bad arguments or invalid file.
`;

/**
 * Validates the API root.
 *
 * @param value Raw value.
 */
function apiRoot( value: string ): string {
	if (
		! URL.canParse( value ) ||
		! /^https?:$/.test( new URL( value ).protocol )
	) {
		throw new CliUsageError(
			`--keycrm-url expects an http(s) URL, got "${ value }"`
		);
	}
	return value.replace( /\/+$/, '' );
}

/**
 * keyCRM connection and warehouse from the options (usage errors before any file is read).
 *
 * @param values Parsed options.
 * @param env    Environment.
 */
function connection( values: CliValues, env: NodeJS.ProcessEnv ) {
	requireString( values, 'warehouse' );
	const warehouseId = optInt( values, 'warehouse', undefined, 1 ) as number;
	const apiKey = optString( values, 'api-key' ) ?? env.KEYCRM_API_KEY ?? '';
	if ( apiKey === '' ) {
		throw new CliUsageError( '--api-key (or $KEYCRM_API_KEY) is required' );
	}
	return {
		warehouseId,
		apiKey,
		baseUrl: apiRoot(
			optString( values, 'keycrm-url' ) ??
				env.KEYCRM_API_URL ??
				DEFAULT_URL
		),
		ratePerMinute: optInt( values, 'rate-per-minute', 60, 1, 600 ),
	};
}

export const pushCommand: CliCommand = {
	name: 'push',
	summary:
		'Push an ERP stock export (CSV/JSON: sku, quantity, price) to keyCRM',
	help: HELP,
	options: {
		file: { type: 'string' },
		warehouse: { type: 'string' },
		'dry-run': { type: 'boolean' },
		quiet: { type: 'boolean' },
		'api-key': { type: 'string' },
		'keycrm-url': { type: 'string' },
		'rate-per-minute': { type: 'string' },
	},
	async run( { values, stdout, stderr, env, signal } ) {
		const file = requireString( values, 'file' );
		connection( values, env ); // Usage errors before the file is read.
		let content: string;
		try {
			content = await readFile( file, 'utf8' );
		} catch ( error ) {
			throw new CliUsageError(
				`cannot read ${ file }: ${ error instanceof Error ? error.message : String( error ) }`
			);
		}
		const parsed = parseStockFile( content, formatOfPath( file ) );
		if ( parsed.errors.length > 0 ) {
			for ( const e of parsed.errors.slice( 0, MAX_ERRORS_SHOWN ) ) {
				stderr.write( `${ file }:${ e.line }: ${ e.message }\n` );
			}
			const more = parsed.errors.length - MAX_ERRORS_SHOWN;
			stderr.write(
				`${ more > 0 ? `… and ${ more } more. ` : '' }${ parsed.errors.length } error(s); nothing was sent.\n`
			);
			return 2;
		}
		stdout.write(
			`${ file }: ${ parsed.rows.length } valid rows (${ parsed.format })\n`
		);
		const { warehouseId, ...clientOptions } = connection( values, env );
		const client = createKeyCrmClient( { ...clientOptions, signal } );
		try {
			await runPush( {
				client,
				rows: parsed.rows,
				warehouseId,
				dryRun: optFlag( values, 'dry-run' ),
				listChanges: ! optFlag( values, 'quiet' ),
				print: ( line ) => stdout.write( `${ line }\n` ),
			} );
		} catch ( error ) {
			stderr.write(
				`keyCRM error: ${ error instanceof Error ? error.message : String( error ) }\n`
			);
			return 1;
		}
		return 0;
	},
};
