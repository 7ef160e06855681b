/**
 * One push of one export (a file, or a CommerceML pair): read, report bad
 * rows, push the rest (or nothing), and say how it ended as an exit code.
 * Shared by `push --file` and `push --watch`.
 */
import { basename } from 'node:path';

import type { WarehouseMapping } from './erp-columns.js';
import type { ErpError } from './erp-row.js';
import { readExport, type ReadExportOptions } from './read-export.js';
import { runPush, type PushClient, type PushSummary } from './run-push.js';

/** Exit codes of a push. */
export const EXIT = {
	done: 0,
	keycrm: 1,
	invalid: 2,
	/** `--skip-invalid`: the good rows were pushed, some were skipped. */
	skipped: 3,
} as const;

/** Problems printed before "… and N more". */
const MAX_ERRORS_SHOWN = 100;

export interface PushFilesOptions extends ReadExportOptions {
	warehouses: readonly WarehouseMapping[];
	create: boolean;
	dryRun: boolean;
	skipInvalid: boolean;
	listChanges: boolean;
	client: PushClient;
	out: ( line: string ) => void;
	err: ( line: string ) => void;
	now?: () => number;
}

export interface PushFilesResult {
	code: number;
	summary: PushSummary | null;
	/** Rows skipped or refused, as printed. */
	problems: string[];
}

/**
 * Pushes one export.
 *
 * @param files `--file` values.
 * @param opts  Options.
 */
export async function pushFiles(
	files: readonly string[],
	opts: PushFilesOptions
): Promise< PushFilesResult > {
	const label = ( e: ErpError ) =>
		`${ e.file ?? ( files.length === 1 ? files[ 0 ] : basename( files[ 0 ] ?? '' ) ) }:${ e.line }: ${ e.message }`;
	let parsed;
	try {
		parsed = await readExport( files, opts );
	} catch ( error ) {
		const message = `cannot read ${ files.join( ', ' ) }: ${ error instanceof Error ? error.message : String( error ) }`;
		opts.err( message );
		return { code: EXIT.invalid, summary: null, problems: [ message ] };
	}
	const problems = parsed.errors.map( label );
	const more = problems.length - MAX_ERRORS_SHOWN;
	const moreText = more > 0 ? `… and ${ more } more. ` : '';
	if ( problems.length > 0 && ! opts.skipInvalid ) {
		problems.slice( 0, MAX_ERRORS_SHOWN ).forEach( ( p ) => opts.err( p ) );
		opts.err(
			`${ moreText }${ problems.length } error(s); nothing was sent.`
		);
		return { code: EXIT.invalid, summary: null, problems };
	}
	const rows = parsed.duplicates.size
		? parsed.rows.filter( ( r ) => ! parsed.duplicates.has( r.sku ) )
		: parsed.rows;
	if ( problems.length > 0 ) {
		opts.err(
			`${ problems.length } problem(s): those rows are skipped` +
				( parsed.duplicates.size
					? ` (every row of ${ parsed.duplicates.size } duplicate SKU(s) included)`
					: '' ) +
				'; the other rows are pushed.'
		);
	}
	opts.out( `${ parsed.describe }: ${ rows.length } valid rows` );
	let summary: PushSummary;
	try {
		summary = await runPush( {
			client: opts.client,
			rows,
			warehouseIds: parsed.warehouseIds,
			create: opts.create,
			skipInvalid: opts.skipInvalid,
			dryRun: opts.dryRun,
			listChanges: opts.listChanges,
			print: opts.out,
			now: opts.now,
		} );
	} catch ( error ) {
		opts.err(
			`keyCRM error: ${ error instanceof Error ? error.message : String( error ) }`
		);
		return { code: EXIT.keycrm, summary: null, problems };
	}
	const nameless = summary.nameless.map(
		( r ) =>
			`${ r.file ?? files[ 0 ] }:${ r.line }: ${ r.sku } is not in keyCRM and the file gives no name to create it with`
	);
	if ( nameless.length > 0 && ! opts.skipInvalid ) {
		nameless.forEach( ( p ) => opts.err( p ) );
		return { code: EXIT.invalid, summary, problems: nameless };
	}
	const skipped = [ ...problems, ...nameless ];
	if ( skipped.length > 0 ) {
		nameless.forEach( ( p ) => opts.err( p ) );
		opts.err(
			`Skipped ${ skipped.length } problem row(s) (--skip-invalid):`
		);
		skipped.forEach( ( p ) => opts.err( `  ${ p }` ) );
		return { code: EXIT.skipped, summary, problems: skipped };
	}
	return { code: EXIT.done, summary, problems: [] };
}
