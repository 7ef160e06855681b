/**
 * Figures of the bad-input and fault suite: every input a fault test tried,
 * how the boundary answered it, and how many good items were lost beside it.
 * Each line goes to the JSON-lines file named by KCS_FAULTS_OUT (set by
 * `npm run faults`, which prints the table); without it nothing is written.
 * The PHP suites write the same lines (test/php/Faults/FaultFigures.php).
 */
import { appendFileSync } from 'node:fs';

/**
 * How a boundary answered one input: refused with a clear error, skipped the
 * bad part and took the rest, took it whole (a valid edge case), or met a fault
 * of keyCRM and still ended right (retried, waited).
 */
export type Answer = 'error' | 'skip' | 'accepted' | 'recovered';

/** One tried input. */
export interface Figure {
	boundary: string;
	input: string;
	answer: Answer;
	/** Good items that did not arrive because of this input (the suite asserts 0). */
	lost: number;
	/** Good items sent beside the bad input (0 when the input was alone). */
	items?: number;
}

/**
 * Records one tried input (after its assertions passed).
 *
 * @param figure What was tried and how it ended.
 */
export function record( figure: Figure ): void {
	const out = process.env.KCS_FAULTS_OUT;
	if ( out ) {
		appendFileSync( out, JSON.stringify( figure ) + '\n' );
	}
}
