/**
 * Child processes of the demo: started with prefixed output, stopped politely then firmly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A started child process. */
export interface Child {
	name: string;
	process: ChildProcess;
	/** Resolves with the exit code (or signal name) once the process has exited. */
	exited: Promise< number | string >;
}

/** Writes one line of output; the demo prints children's lines with a name prefix. */
export type LineSink = ( name: string, line: string ) => void;

/**
 * Starts a Node script as a child process.
 *
 * @param name   Short name used as the output prefix.
 * @param script Script path.
 * @param args   Arguments.
 * @param sink   Receives every output line.
 * @param env    Extra environment.
 * @param node   Options for node itself (before the script).
 */
export function startNode(
	name: string,
	script: string,
	args: string[],
	sink: LineSink,
	env: NodeJS.ProcessEnv = {},
	node: string[] = []
): Child {
	const child = spawn( process.execPath, [ ...node, script, ...args ], {
		stdio: [ 'ignore', 'pipe', 'pipe' ],
		env: { ...process.env, ...env },
		// Own process group: Ctrl-C reaches the demo only, which then stops children in order.
		detached: true,
	} );
	for ( const stream of [ child.stdout, child.stderr ] ) {
		if ( stream ) {
			createInterface( { input: stream } ).on( 'line', ( line ) =>
				sink( name, line )
			);
		}
	}
	const exited = new Promise< number | string >( ( resolve ) => {
		child.on( 'exit', ( code, signal ) =>
			resolve( code ?? signal ?? 'unknown' )
		);
		child.on( 'error', ( error ) => {
			sink( name, `cannot start: ${ error.message }` );
			resolve( 'error' );
		} );
	} );
	return { name, process: child, exited };
}

/**
 * Stops a child: SIGTERM to its process group, SIGKILL after `graceMs`.
 *
 * @param child   The child.
 * @param graceMs Time allowed for a clean exit.
 */
export async function stopChild(
	child: Child,
	graceMs: number
): Promise< void > {
	const pid = child.process.pid;
	if (
		pid === undefined ||
		child.process.exitCode !== null ||
		child.process.signalCode !== null
	) {
		return;
	}
	const signalGroup = ( signal: NodeJS.Signals ): void => {
		try {
			process.kill( -pid, signal );
		} catch {
			// Already gone.
		}
	};
	signalGroup( 'SIGTERM' );
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise< 'timeout' >( ( resolve ) => {
		timer = setTimeout( () => resolve( 'timeout' ), graceMs );
	} );
	const result = await Promise.race( [ child.exited, timedOut ] );
	clearTimeout( timer );
	if ( result === 'timeout' ) {
		signalGroup( 'SIGKILL' );
		await child.exited;
	}
}
