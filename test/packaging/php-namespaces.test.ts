/**
 * The plugin's namespaces form no cycle: a module may use the modules below
 * it, never one that uses it back. The graph is read from the PHP syntax tree
 * (php-parser): `use` imports and fully-qualified names, comments ignored.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Engine } from 'php-parser';

const ROOT = join( __dirname, '..', '..', 'plugin', 'includes' );
const PREFIX = 'KeyCrmSync\\';

interface PhpNode {
	kind: string;
	[ key: string ]: unknown;
}

const php = new Engine( {
	parser: { php8: true, suppressErrors: false },
	ast: { withPositions: false },
} );

function phpFiles( dir: string ): string[] {
	return readdirSync( dir, { withFileTypes: true } ).flatMap( ( e ) => {
		const path = join( dir, e.name );
		if ( e.isDirectory() ) {
			return phpFiles( path );
		}
		return e.name.endsWith( '.php' ) ? [ path ] : [];
	} );
}

/**
 * The module of a fully-qualified name: `KeyCrmSync\Outbox\OutboxQueue` → `Outbox`.
 *
 * @param name Class or namespace name, with or without a leading backslash.
 */
function moduleOf( name: string ): string | null {
	const n = name.replace( /^\\/, '' );
	if ( ! n.startsWith( PREFIX ) ) {
		return null;
	}
	return n.slice( PREFIX.length ).split( '\\' )[ 0 ] || null;
}

/**
 * Modules one file refers to, and its own.
 *
 * @param file Path of a PHP file.
 */
function references( file: string ): { own: string; uses: Set< string > } {
	const ast = php.parseCode( readFileSync( file, 'utf8' ), file );
	let own = '';
	const uses = new Set< string >();
	const visit = ( node: unknown ): void => {
		if ( Array.isArray( node ) ) {
			node.forEach( visit );
			return;
		}
		if ( ! node || typeof node !== 'object' ) {
			return;
		}
		const n = node as PhpNode;
		if ( n.kind === 'namespace' ) {
			own = moduleOf( String( n.name ) ) ?? '';
		}
		const fq =
			n.kind === 'useitem' ||
			( n.kind === 'name' && n.resolution === 'fqn' );
		if ( fq ) {
			const m = moduleOf( String( n.name ) );
			if ( m ) {
				uses.add( m );
			}
		}
		for ( const [ key, child ] of Object.entries( n ) ) {
			if ( key !== 'loc' && key !== 'leadingComments' ) {
				visit( child );
			}
		}
	};
	visit( ast );
	uses.delete( own );
	return { own, uses };
}

/**
 * Strongly connected components with more than one module (Tarjan).
 *
 * @param graph Module → modules it uses.
 */
function cycles( graph: Map< string, Set< string > > ): string[][] {
	let next = 0;
	const index = new Map< string, number >();
	const low = new Map< string, number >();
	const stack: string[] = [];
	const onStack = new Set< string >();
	const found: string[][] = [];
	const connect = ( v: string ): void => {
		index.set( v, next );
		low.set( v, next++ );
		stack.push( v );
		onStack.add( v );
		for ( const w of graph.get( v ) ?? [] ) {
			if ( ! index.has( w ) ) {
				connect( w );
				low.set( v, Math.min( low.get( v )!, low.get( w )! ) );
			} else if ( onStack.has( w ) ) {
				low.set( v, Math.min( low.get( v )!, index.get( w )! ) );
			}
		}
		if ( low.get( v ) === index.get( v ) ) {
			const scc: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				onStack.delete( w );
				scc.push( w );
			} while ( w !== v );
			if ( scc.length > 1 ) {
				found.push( scc.sort() );
			}
		}
	};
	[ ...graph.keys() ].forEach( ( v ) => index.has( v ) || connect( v ) );
	return found;
}

describe( 'plugin namespaces', () => {
	const graph = new Map< string, Set< string > >();
	const edges = new Map< string, string[] >();
	for ( const file of phpFiles( ROOT ) ) {
		const { own, uses } = references( file );
		if ( ! own ) {
			continue;
		}
		const out = graph.get( own ) ?? new Set< string >();
		graph.set( own, out );
		for ( const m of uses ) {
			out.add( m );
			const key = `${ own } → ${ m }`;
			edges.set( key, [
				...( edges.get( key ) ?? [] ),
				relative( ROOT, file ),
			] );
		}
	}

	it( 'reads a module graph of the plugin', () => {
		// A guard against a parser change that would find nothing.
		expect( graph.size ).toBeGreaterThan( 10 );
		expect( graph.get( 'Outbox' )?.has( 'Infrastructure' ) ).toBe( true );
	} );

	it( 'has no namespace cycle', () => {
		const found = cycles( graph ).map( ( scc ) => {
			const inside = [ ...edges.entries() ]
				.filter( ( [ key ] ) =>
					key.split( ' → ' ).every( ( m ) => scc.includes( m ) )
				)
				.map(
					( [ key, files ] ) => `${ key } (${ files.join( ', ' ) })`
				);
			return `${ scc.join( ' ⇄ ' ) }: ${ inside.join( '; ' ) }`;
		} );
		expect( found ).toEqual( [] );
	} );

	it( 'finds a cycle when there is one', () => {
		// The detector itself must fail on a cycle, or the test above proves nothing.
		const sample = new Map( [
			[ 'A', new Set( [ 'B' ] ) ],
			[ 'B', new Set( [ 'C' ] ) ],
			[ 'C', new Set( [ 'A' ] ) ],
			[ 'D', new Set( [ 'A' ] ) ],
		] );
		expect( cycles( sample ) ).toEqual( [ [ 'A', 'B', 'C' ] ] );
	} );
} );
