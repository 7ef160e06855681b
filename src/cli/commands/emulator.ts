/**
 * `keycrm-sync emulator`: run the keyCRM emulator as an HTTP server until
 * SIGINT/SIGTERM.
 */
import { readFile } from 'node:fs/promises';

import { applySeed } from '../../emulator/seed.js';
import { startEmulatorServer } from '../../emulator/server.js';
import { scaledClock, systemClock } from '../../util/clock.js';
import {
	optInt,
	optList,
	optPositiveNumber,
	optString,
	requireString,
} from '../options.js';
import { defineCommand } from '../define.js';
import { CliUsageError, type CliCommand } from '../types.js';

/**
 * Parse `--warehouse` values.
 *
 * @param values Raw values.
 */
function warehouses( values: string[] ): number[] {
	if ( values.length === 0 ) {
		return [ 1 ];
	}
	return values.map( ( v ) => {
		if ( ! /^[1-9]\d*$/.test( v ) ) {
			throw new CliUsageError(
				`--warehouse expects a positive integer, got "${ v }"`
			);
		}
		return Number( v );
	} );
}

/**
 * Validate `--webhook-url`.
 *
 * @param value Raw value.
 */
function webhookUrl( value: string | undefined ): string | null {
	if ( value === undefined ) {
		return null;
	}
	if (
		! URL.canParse( value ) ||
		! /^https?:$/.test( new URL( value ).protocol )
	) {
		throw new CliUsageError(
			`--webhook-url expects an http(s) URL, got "${ value }"`
		);
	}
	return value;
}

export const emulatorCommand: CliCommand = defineCommand( {
	name: 'emulator',
	summary: 'Run the keyCRM emulator (HTTP server on loopback)',
	usage: '--port N [options]',
	about: `Serve an in-memory keyCRM (API under /v1, same paths as
https://openapi.keycrm.app/v1; read-only page at /; control API under
/__emulator/ for loopback clients).`,
	options: {
		port: {
			type: 'string',
			value: 'N',
			help: 'TCP port (required; 0 = any free port)',
		},
		host: {
			type: 'string',
			value: 'H',
			help: 'Interface to bind (default 127.0.0.1)',
		},
		'api-key': {
			type: 'string',
			multiple: true,
			value: 'K',
			help: 'Accepted API key; repeat for several (default: test)',
		},
		'rate-per-minute': {
			type: 'string',
			value: 'N',
			help: 'Requests per minute per key (default 60)',
		},
		'clock-scale': {
			type: 'string',
			value: 'F',
			help: "Run the emulator's clock F times faster (default 1)",
		},
		'webhook-url': {
			type: 'string',
			value: 'URL',
			help: 'POST stock changes to URL ([{offer_id, sku, in_stock, in_reserve}])',
		},
		warehouse: {
			type: 'string',
			multiple: true,
			value: 'ID',
			help: 'Warehouse id; repeat for several (default: 1)',
		},
		'seed-file': {
			type: 'string',
			value: 'F',
			help: 'JSON seed: {categories?: [...], products?: [...]}',
		},
	},
	async run( { values, stdout, signal } ) {
		requireString( values, 'port' );
		const port = optInt( values, 'port', undefined, 0, 65535 ) ?? 0;
		const keys = optList( values, 'api-key' );
		const scale = optPositiveNumber( values, 'clock-scale', 1 );
		const seedFile = optString( values, 'seed-file' );
		const seed =
			seedFile === undefined ? undefined : await readSeed( seedFile );
		const server = await startEmulatorServer( {
			port,
			host: optString( values, 'host', '127.0.0.1' ),
			apiKeys: keys.length ? keys : [ 'test' ],
			ratePerMinute: optInt(
				values,
				'rate-per-minute',
				60,
				1,
				1_000_000
			),
			clock: scale === 1 ? systemClock : scaledClock( scale ),
			webhookUrl: webhookUrl( optString( values, 'webhook-url' ) ),
			warehouses: warehouses( optList( values, 'warehouse' ) ),
		} );
		if ( seed !== undefined ) {
			let counts;
			try {
				counts = applySeed( server.emulator.store, seed );
			} catch ( error ) {
				await server.close();
				throw new CliUsageError(
					`--seed-file: ${ error instanceof Error ? error.message : String( error ) }`
				);
			}
			stdout.write(
				`seeded ${ counts.products } products, ${ counts.offers } offers\n`
			);
		}
		stdout.write(
			`keyCRM emulator listening on ${ server.url } (API ${ server.url }/v1)\n`
		);
		await new Promise< void >( ( resolve ) => {
			if ( signal.aborted ) {
				resolve();
			}
			signal.addEventListener( 'abort', () => resolve(), { once: true } );
		} );
		await server.close();
		stdout.write( 'keyCRM emulator stopped\n' );
		return 0;
	},
} );

/**
 * Read and parse a seed file (JSON); a bad file is a usage error.
 *
 * @param path File path.
 */
async function readSeed( path: string ): Promise< unknown > {
	try {
		return JSON.parse( await readFile( path, 'utf8' ) ) as unknown;
	} catch ( error ) {
		throw new CliUsageError(
			`--seed-file ${ path }: ${ error instanceof Error ? error.message : String( error ) }`
		);
	}
}
