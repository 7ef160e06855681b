/**
 * `npm run bundle`: the sender CLI (src/sender-cli.ts, with ky and zod) as ONE minified file that
 * runs with Node alone: `node keycrm-sync.mjs worker …`. The keyCRM emulator (and msw) stay out:
 * they run from src/cli.ts. test/packaging/bundle-size.test.ts holds its size budget.
 *
 * Usage: node --import tsx scripts/bundle-sender.ts [--out FILE]   (default dist/keycrm-sync.mjs)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = resolve( dirname( fileURLToPath( import.meta.url ) ), '..' );
const { SENDER_BUDGET, sizeLine } = createRequire( import.meta.url )(
	'./size-budget.cjs'
) as {
	SENDER_BUDGET: number;
	sizeLine: ( name: string, bytes: Buffer, budget: number ) => string;
};

/** Node versions the bundle supports (package.json "engines"). */
const NODE_TARGET = 'node20.19';

/**
 * Bundles src/sender-cli.ts into `outFile`.
 *
 * @param outFile Output path.
 * @return Size of the bundle in bytes.
 */
export async function bundleSender( outFile: string ): Promise< number > {
	const { version } = JSON.parse(
		readFileSync( join( ROOT, 'package.json' ), 'utf8' )
	) as { version: string };
	const result = await build( {
		entryPoints: [ join( ROOT, 'src', 'sender-cli.ts' ) ],
		outfile: outFile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: NODE_TARGET,
		minify: true,
		sourcemap: false,
		legalComments: 'inline',
		metafile: true,
		logLevel: 'warning',
		// The shebang of src/sender-cli.ts is kept by esbuild; this banner lets bundled CommonJS code
		// call require() for Node built-ins inside an ES module.
		banner: {
			js: [
				`// keycrm-sync ${ version }: the sender in one file. GPL-2.0-or-later.`,
				"import { createRequire as __keycrmCreateRequire } from 'node:module';",
				'const require = __keycrmCreateRequire( import.meta.url );',
			].join( '\n' ),
		},
	} );
	const output = Object.values( result.metafile.outputs )[ 0 ];
	return output?.bytes ?? 0;
}

async function main(): Promise< void > {
	const { values } = parseArgs( { options: { out: { type: 'string' } } } );
	const outFile = resolve(
		values.out ?? join( ROOT, 'dist', 'keycrm-sync.mjs' )
	);
	await bundleSender( outFile );
	process.stdout.write(
		`${ sizeLine( outFile, readFileSync( outFile ), SENDER_BUDGET ) }\n`
	);
}

if (
	process.argv[ 1 ] &&
	resolve( process.argv[ 1 ] ) === fileURLToPath( import.meta.url )
) {
	main().catch( ( error: unknown ) => {
		process.stderr.write(
			`bundle: ${ error instanceof Error ? error.message : String( error ) }\n`
		);
		process.exit( 1 );
	} );
}
