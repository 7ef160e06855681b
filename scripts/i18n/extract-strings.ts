/**
 * Finds the translatable strings of the project by parsing its sources: TypeScript's own parser for
 * admin-ui/src (.ts, .tsx) and php-parser for plugin/ (.php). A call is read wherever the syntax
 * puts it (split over lines, nested in sprintf or JSX), and only with the plugin's text domain.
 *
 * (WP-CLI's `wp i18n make-pot` does this for a whole plugin but is not installable from npm or
 * Debian; these are the parsers it would use in spirit.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { Engine } from 'php-parser';
import ts from 'typescript';

import { type Message, messageKey, TEXT_DOMAIN } from './gettext';

/** Positions of the gettext function arguments (text domain last). */
const CALLS: Record<
	string,
	{ msgid: number; plural?: number; context?: number; domain: number }
> = {};
for ( const name of [
	'__',
	'_e',
	'esc_html__',
	'esc_html_e',
	'esc_attr__',
	'esc_attr_e',
] ) {
	CALLS[ name ] = { msgid: 0, domain: 1 };
}
for ( const name of [ '_x', '_ex', 'esc_html_x', 'esc_attr_x' ] ) {
	CALLS[ name ] = { msgid: 0, context: 1, domain: 2 };
}
CALLS._n = { msgid: 0, plural: 1, domain: 3 };
CALLS._nx = { msgid: 0, plural: 1, context: 3, domain: 4 };

const TRANSLATORS = /translators:\s*([\s\S]*?)\s*(?:\*\/)?$/;

/** A call found in a file: its name, its literal string arguments (or null), line and comment. */
interface FoundCall {
	name: string;
	args: Array< string | null >;
	line: number;
	comment?: string;
}

function toMessage( call: FoundCall, file: string ): Message | null {
	const spec = CALLS[ call.name ];
	if ( ! spec || call.args[ spec.domain ] !== TEXT_DOMAIN ) {
		return null;
	}
	const msgid = call.args[ spec.msgid ];
	if ( typeof msgid !== 'string' ) {
		return null;
	}
	const msg: Message = {
		msgid,
		msgstr: [],
		references: [ `${ file }:${ call.line }` ],
	};
	const context =
		spec.context !== undefined ? call.args[ spec.context ] : null;
	const plural = spec.plural !== undefined ? call.args[ spec.plural ] : null;
	if ( context ) {
		msg.context = context;
	}
	if ( plural ) {
		msg.plural = plural;
	}
	if ( call.comment ) {
		msg.comment = call.comment;
	}
	return msg;
}

function translatorsText( comment: string ): string | undefined {
	const text = comment
		.replace( /^\/\*+|\*+\/$|^\/\/|^#/g, '' )
		.split( '\n' )
		.map( ( l ) => l.replace( /^\s*\*?\s?/, '' ).trim() )
		.join( ' ' )
		.trim();
	return TRANSLATORS.exec( text )?.[ 1 ]?.trim() || undefined;
}

/* ------------------------------ TypeScript ------------------------------ */

/**
 * The called function's name: `__` in `__( … )` and in `i18n.__( … )`.
 *
 * @param callee The call's callee expression.
 */
function calleeName( callee: ts.Expression ): string {
	if ( ts.isIdentifier( callee ) ) {
		return callee.text;
	}
	return ts.isPropertyAccessExpression( callee ) ? callee.name.text : '';
}

function tsCalls( source: string, file: string ): FoundCall[] {
	const sf = ts.createSourceFile(
		file,
		source,
		ts.ScriptTarget.Latest,
		true,
		file.endsWith( 'x' ) ? ts.ScriptKind.TSX : ts.ScriptKind.TS
	);
	// The nearest "translators:" comment in front of the call or of the expression holding it.
	const commentOf = ( node: ts.Node ): string | undefined => {
		for (
			let n: ts.Node | undefined = node, depth = 0;
			n && depth < 4 && ! ts.isSourceFile( n );
			n = n.parent, depth++
		) {
			for ( const range of ts.getLeadingCommentRanges( source, n.pos ) ??
				[] ) {
				const found = translatorsText(
					source.slice( range.pos, range.end )
				);
				if ( found ) {
					return found;
				}
			}
		}
		return undefined;
	};
	const out: FoundCall[] = [];
	const visit = ( node: ts.Node ): void => {
		if ( ts.isCallExpression( node ) ) {
			const name = calleeName( node.expression );
			if ( CALLS[ name ] ) {
				out.push( {
					name,
					args: node.arguments.map( ( a ) =>
						ts.isStringLiteralLike( a ) ? a.text : null
					),
					line:
						sf.getLineAndCharacterOfPosition( node.getStart( sf ) )
							.line + 1,
					comment: commentOf( node ),
				} );
			}
		}
		ts.forEachChild( node, visit );
	};
	visit( sf );
	return out;
}

/* --------------------------------- PHP --------------------------------- */

interface PhpNode {
	kind: string;
	loc?: { start: { line: number } };
	leadingComments?: Array< { value: string } >;
	[ key: string ]: unknown;
}

const php = new Engine( {
	parser: { php8: true, extractDoc: true, suppressErrors: false },
	ast: { withPositions: true },
} );

function phpCalls( source: string, file: string ): FoundCall[] {
	const out: FoundCall[] = [];
	const visit = ( node: unknown, comments: string[] ): void => {
		if ( Array.isArray( node ) ) {
			node.forEach( ( n ) => visit( n, comments ) );
			return;
		}
		if ( ! node || typeof node !== 'object' ) {
			return;
		}
		const n = node as PhpNode;
		// Comments are attached to the statement or expression that follows them.
		const here = [
			...comments,
			...( n.leadingComments ?? [] ).map( ( c ) => c.value ),
		];
		if ( n.kind === 'call' ) {
			const what = n.what as PhpNode & { name?: string };
			const name =
				what?.kind === 'name'
					? String( what.name ).replace( /^\\/, '' )
					: '';
			if ( CALLS[ name ] ) {
				const comment = here
					.map( translatorsText )
					.filter( Boolean )
					.pop();
				out.push( {
					name,
					args: ( n.arguments as PhpNode[] ).map( ( a ) =>
						a.kind === 'string' ? String( a.value ) : null
					),
					line: n.loc?.start.line ?? 0,
					comment,
				} );
			}
		}
		for ( const [ key, child ] of Object.entries( n ) ) {
			if ( key !== 'loc' && key !== 'leadingComments' ) {
				visit( child, here );
			}
		}
	};
	visit( php.parseCode( source, file ), [] );
	return out;
}

/**
 * Translatable strings of one source file (only calls with the plugin's text domain).
 *
 * @param source File contents.
 * @param file   Path used in references; its extension picks the parser.
 */
export function extractFromSource( source: string, file: string ): Message[] {
	const calls = file.endsWith( '.php' )
		? phpCalls( source, file )
		: tsCalls( source, file );
	return calls
		.map( ( c ) => toMessage( c, file ) )
		.filter( ( m ): m is Message => m !== null );
}

function walk( dir: string, exts: string[] ): string[] {
	const skip = [ 'node_modules', 'build', 'vendor', 'languages' ];
	const files: string[] = [];
	for ( const name of readdirSync( dir ) ) {
		const full = path.join( dir, name );
		if ( skip.includes( name ) ) {
			continue;
		}
		if ( statSync( full ).isDirectory() ) {
			files.push( ...walk( full, exts ) );
		} else if (
			exts.some( ( e ) => name.endsWith( e ) ) &&
			! name.endsWith( '.d.ts' )
		) {
			files.push( full );
		}
	}
	return files.sort();
}

function merge( into: Map< string, Message >, msg: Message ): void {
	const prev = into.get( messageKey( msg ) );
	if ( prev ) {
		prev.references.push( ...msg.references );
		prev.plural ??= msg.plural;
		prev.comment ??= msg.comment;
	} else {
		into.set( messageKey( msg ), {
			...msg,
			references: [ ...msg.references ],
		} );
	}
}

/**
 * All translatable strings of a folder, merged by key.
 *
 * @param root Repository root.
 * @param dir  Folder relative to root (admin-ui/src or plugin).
 * @param exts File extensions to read.
 */
export function extractFolder(
	root: string,
	dir: string,
	exts: string[]
): Message[] {
	const merged = new Map< string, Message >();
	for ( const file of walk( path.join( root, dir ), exts ) ) {
		for ( const msg of extractFromSource(
			readFileSync( file, 'utf8' ),
			path.relative( root, file )
		) ) {
			merge( merged, msg );
		}
	}
	return [ ...merged.values() ];
}

/**
 * Every translatable string of the project (admin-ui/src and plugin/), merged by key.
 *
 * @param root Repository root.
 */
export function extractProject( root: string ): Message[] {
	const merged = new Map< string, Message >();
	for ( const msg of [
		...extractFolder( root, 'admin-ui/src', [ '.ts', '.tsx' ] ),
		...extractFolder( root, 'plugin', [ '.php' ] ),
	] ) {
		merge( merged, msg );
	}
	return [ ...merged.values() ];
}
