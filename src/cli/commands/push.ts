/**
 * `keycrm-sync push`: push an ERP export (CSV, XLSX, JSON, CommerceML 2) to
 * keyCRM once (`--file`), or every export dropped into a folder (`--watch`).
 */
import { createKeyCrmClient } from '../../keycrm/client.js';
import {
	parseWarehouseOption,
	type WarehouseMapping,
} from '../../push/erp-columns.js';
import { pushFiles, type PushFilesOptions } from '../../push/push-files.js';
import { FORMATS, type ExportFormat } from '../../push/read-export.js';
import { encodingOf } from '../../push/text-encoding.js';
import { watchFolder } from '../../push/watch.js';
import { systemClock } from '../../util/clock.js';
import {
	optFlag,
	optInt,
	optList,
	optPositiveNumber,
	optString,
} from '../options.js';
import { defineCommand } from '../define.js';
import { CliUsageError, type CliCommand, type CliValues } from '../types.js';

const DEFAULT_URL = 'https://openapi.keycrm.app/v1';
/** keyCRM's limit per API key, shared by everything that uses the key. */
const KEY_LIMIT = 60;
/** What --watch takes by default: the rest of the key's 60 after a sender at its default budget (50). */
const WATCH_RATE = 10;

const USAGE = `--file EXPORT --warehouse ID|"NAME=ID"... [options]
       keycrm-sync push --watch DIR --warehouse ID|"NAME=ID"... [options]`;

const ABOUT = `Push an ERP export (1C, BAS, MoySklad, a spreadsheet) to keyCRM by SKU.
keyCRM's current data is read first and only what changed is sent:
  new SKUs (with --create)    POST /products/import, 100 per request
  price, purchase price       PUT /offers, 10,000 per request
  name, barcode, unit         PUT /products/{id}, one per changed product
  stock, last                 PUT /offers/stocks, 10,000 per warehouse
Without --create, SKUs keyCRM does not know are listed and skipped. Every
problem is reported with its line (or XML element); by default nothing is
sent when any row is bad.

Exports (format guessed from content and name; --format overrides):
  CSV    UTF-8 (with or without BOM), UTF-16 or Windows-1251 (--encoding);
         ";" "," or tab (--delimiter); title rows above the header are
         skipped (--header-row N); blank, group and "Разом/Итого" rows ignored.
         Columns by header, in Ukrainian, Russian or English: Артикул/SKU,
         Назва/Найменування/Наименование/Name, Кількість/Количество/
         Залишок/Остаток/Quantity, Ціна/Цена/Price, Закупівельна ціна/
         Закупочная цена/Purchase price, Штрихкод/Barcode, Од./Ед./Unit,
         Категорія/Категория/Category ("A/B" for a sub-category).
         Numbers: 1234.5, 1 234,50, 1 234 (ordinary or no-break spaces).
         Without a header: sku, quantity[, price].
  XLSX   the first sheet (--sheet NAME), same columns as CSV.
  JSON   [{"sku", "quantity", "price", "purchase_price", "name", ...}]
  CommerceML 2  import.xml + offers.xml: --file twice, or a folder. SKU from
         Артикул, else Ид; price of the one price type (--price-type NAME
         when there are several; --purchase-price-type NAME); stock of each
         <Склад> mapped with --warehouse "NAME=ID" (--warehouse ID alone:
         the offer's Количество).

Warehouses:
  --warehouse ID          the quantity column goes to keyCRM warehouse ID
  --warehouse "NAME=ID"   column NAME (e.g. "Склад Київ"), or CommerceML
                          <Склад> with that Наименование or Ид, goes to ID;
                          repeat for each warehouse. Blank cells in such
                          columns mean 0 (1C leaves zero balances blank).`;

const AFTER = `Request budget: keyCRM allows ${ KEY_LIMIT } requests a minute per API key, shared by
everything using the key. A running sender (keycrm-sync worker, or the
plugin's runner) for the same key spends its own budget (plugin settings,
default 50), so push must take only the rest or its requests cause 429s that
slow the shop's sync: --watch therefore defaults to ${ WATCH_RATE } a minute, and a
one-shot push next to a running sender should pass --rate-per-minute with
(${ KEY_LIMIT } − the sender's budget). On a 429 push waits for Retry-After.

Cron, one export a night (a one-shot run):
  15 2 * * *  keycrm-sync push --file /srv/erp/stock.csv --warehouse 1 \\
              --create --rate-per-minute 10 >> /var/log/keycrm-push.log 2>&1

Exit codes: 0 done, 1 keyCRM error, 2 bad arguments or invalid file
(nothing sent), 3 done with skipped rows (--skip-invalid).`;

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
 * The `--warehouse` options.
 *
 * @param values Parsed options.
 */
function warehouses( values: CliValues ): WarehouseMapping[] {
	const list = optList( values, 'warehouse' );
	if ( list.length === 0 ) {
		throw new CliUsageError( '--warehouse is required' );
	}
	return list.map( ( v ) => {
		const w = parseWarehouseOption( v );
		if ( typeof w === 'string' ) {
			throw new CliUsageError( w );
		}
		return w;
	} );
}

/**
 * The reading options.
 *
 * @param values Parsed options.
 */
function readOptions( values: CliValues ) {
	const format = optString( values, 'format' );
	if (
		format !== undefined &&
		! ( FORMATS as readonly string[] ).includes( format )
	) {
		throw new CliUsageError(
			`--format expects one of ${ FORMATS.join( ', ' ) }, got "${ format }"`
		);
	}
	const encodingName = optString( values, 'encoding' );
	const encoding =
		encodingName === undefined ? undefined : encodingOf( encodingName );
	if ( encoding === null ) {
		throw new CliUsageError(
			`--encoding expects utf-8, utf-16le, utf-16be or windows-1251, got "${ encodingName }"`
		);
	}
	const rawDelimiter = optString( values, 'delimiter' );
	const delimiter =
		rawDelimiter === 'tab' || rawDelimiter === '\\t' ? '\t' : rawDelimiter;
	if ( delimiter !== undefined && delimiter.length !== 1 ) {
		throw new CliUsageError(
			`--delimiter expects one character or "tab", got "${ rawDelimiter }"`
		);
	}
	return {
		format: format as ExportFormat | undefined,
		encoding,
		delimiter,
		headerRow: optInt( values, 'header-row', undefined, 1 ),
		sheet: optString( values, 'sheet' ),
		priceType: optString( values, 'price-type' ),
		purchasePriceType: optString( values, 'purchase-price-type' ),
	};
}

export const pushCommand: CliCommand = defineCommand( {
	name: 'push',
	summary:
		'Push an ERP export (CSV/XLSX/JSON/CommerceML) to keyCRM: create, update, stock per warehouse; or watch a folder',
	usage: USAGE,
	about: ABOUT,
	after: AFTER,
	options: {
		file: {
			type: 'string',
			multiple: true,
			value: 'F',
			help: 'The export (repeat for import.xml + offers.xml)',
		},
		warehouse: {
			type: 'string',
			multiple: true,
			value: 'W',
			help: 'See above (required, repeatable)',
		},
		create: {
			type: 'boolean',
			help: 'Create SKUs keyCRM does not know (need a name)',
		},
		'dry-run': {
			type: 'boolean',
			help: 'Read keyCRM, print every planned request, send nothing',
		},
		'skip-invalid': {
			type: 'boolean',
			help: 'Push the good rows; list the skipped ones, exit 3',
		},
		quiet: {
			type: 'boolean',
			help: 'Do not list every change (summary only)',
		},
		format: {
			type: 'string',
			value: 'F',
			help: `${ FORMATS.join( '|' ) } (default: guessed)`,
		},
		encoding: {
			type: 'string',
			value: 'E',
			help: 'utf-8|utf-16le|utf-16be|windows-1251 (default: guessed)',
		},
		delimiter: {
			type: 'string',
			value: 'C',
			help: 'CSV separator: ";" "," or "tab" (default: guessed)',
		},
		'header-row': {
			type: 'string',
			value: 'N',
			help: 'Line of the header row (default: found)',
		},
		sheet: {
			type: 'string',
			value: 'NAME',
			help: 'XLSX sheet (default: the first)',
		},
		'price-type': {
			type: 'string',
			value: 'NAME',
			help: 'CommerceML price type for the price',
		},
		'purchase-price-type': {
			type: 'string',
			value: 'NAME',
			help: 'CommerceML price type for the purchase price',
		},
		watch: {
			type: 'string',
			value: 'DIR',
			help: [
				'Keep watching DIR: push each new export once it is',
				'fully written, move it to DIR/done/ or DIR/failed/',
				'with NAME.report.txt next to it',
			].join( '\n' ),
		},
		'poll-seconds': {
			type: 'string',
			value: 'N',
			help: 'How often --watch looks (default 5)',
		},
		'api-key': {
			type: 'string',
			value: 'K',
			help: 'keyCRM API key (default: $KEYCRM_API_KEY)',
		},
		'keycrm-url': {
			type: 'string',
			value: 'URL',
			help: `API root (default: $KEYCRM_API_URL or ${ DEFAULT_URL })`,
		},
		'rate-per-minute': {
			type: 'string',
			value: 'N',
			help: `Request budget (default ${ KEY_LIMIT }; with --watch ${ WATCH_RATE })`,
		},
	},

	async run( { values, stdout, stderr, env, signal } ) {
		const files = optList( values, 'file' );
		const watch = optString( values, 'watch' );
		if ( watch === undefined && files.length === 0 ) {
			throw new CliUsageError( '--file is required (or --watch DIR)' );
		}
		if ( watch !== undefined && files.length > 0 ) {
			throw new CliUsageError( '--file and --watch cannot be combined' );
		}
		const mappings = warehouses( values );
		const reading = readOptions( values );
		const apiKey =
			optString( values, 'api-key' ) ?? env.KEYCRM_API_KEY ?? '';
		if ( apiKey === '' ) {
			throw new CliUsageError(
				'--api-key (or $KEYCRM_API_KEY) is required'
			);
		}
		const client = createKeyCrmClient( {
			apiKey,
			baseUrl: apiRoot(
				optString( values, 'keycrm-url' ) ??
					env.KEYCRM_API_URL ??
					DEFAULT_URL
			),
			ratePerMinute: optInt(
				values,
				'rate-per-minute',
				watch === undefined ? KEY_LIMIT : WATCH_RATE,
				1,
				600
			),
			signal,
		} );
		const base: Omit< PushFilesOptions, 'out' | 'err' > = {
			...reading,
			warehouses: mappings,
			create: optFlag( values, 'create' ),
			dryRun: optFlag( values, 'dry-run' ),
			skipInvalid: optFlag( values, 'skip-invalid' ),
			listChanges: ! optFlag( values, 'quiet' ),
			client,
		};
		const out = ( line: string ) => stdout.write( `${ line }\n` );
		const err = ( line: string ) => stderr.write( `${ line }\n` );
		if ( watch === undefined ) {
			return ( await pushFiles( files, { ...base, out, err } ) ).code;
		}
		await watchFolder( {
			dir: watch,
			pollMs: optPositiveNumber( values, 'poll-seconds', 5 ) * 1000,
			clock: systemClock,
			signal,
			print: out,
			push: async ( paths, log ) =>
				(
					await pushFiles( paths, {
						...base,
						out: ( line ) => {
							log( line );
							out( line );
						},
						err: ( line ) => {
							log( line );
							err( line );
						},
					} )
				).code,
		} );
		return 0;
	},
} );
