/**
 * Waiting on a child process by what it prints, not by time: a server that
 * says it is listening is ready, however long a busy machine took to start it.
 * The test's own timeout bounds the wait.
 */
import type { ChildProcess } from 'node:child_process';

/**
 * Resolve with the first match of `pattern` in what `child` writes to stdout
 * or stderr (spawn them as pipes); reject when the child exits first.
 *
 * @param child   The child process.
 * @param pattern What to wait for.
 */
export function waitForOutput(
	child: ChildProcess,
	pattern: RegExp
): Promise< RegExpMatchArray > {
	return new Promise( ( resolve, reject ) => {
		let output = '';
		const onData = ( data: Buffer ) => {
			output += data.toString();
			const match = output.match( pattern );
			if ( match ) {
				done();
				resolve( match );
			}
		};
		const onExit = ( code: number | null, signal: string | null ) => {
			done();
			reject(
				new Error(
					`exited (${ code ?? signal }) before printing ${ pattern }: ${ output }`
				)
			);
		};
		const done = () => {
			child.stdout?.off( 'data', onData );
			child.stderr?.off( 'data', onData );
			child.off( 'exit', onExit );
		};
		if ( child.exitCode !== null || child.signalCode !== null ) {
			reject( new Error( `exited before printing ${ pattern }` ) );
			return;
		}
		child.stdout?.on( 'data', onData );
		child.stderr?.on( 'data', onData );
		child.once( 'exit', onExit );
	} );
}
