import { ackResult } from '../../src/sender/acks';
import { WorkerMetrics } from '../../src/sender/metrics';
import { RunState } from '../../src/sender/run-state';
import { charLength, cutChars } from '../../src/util/text';
import { makeItem } from '../helpers/fake-shop-items';

/**
 * What PHP's json_decode accepts: no lone surrogate in the JSON text.
 *
 * @param s Text.
 */
function wellFormed( s: string ): boolean {
	return ! /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(
		s
	);
}

describe( 'cutChars', () => {
	it( 'never cuts inside a surrogate pair', () => {
		const text = 'x'.repeat( 1999 ) + '😀😀';
		expect( wellFormed( text.slice( 0, 2000 ) ) ).toBe( false );
		const cut = cutChars( text, 2000 );
		expect( wellFormed( cut ) ).toBe( true );
		expect( charLength( cut ) ).toBe( 2000 );
		expect( cut.endsWith( '😀' ) ).toBe( true );
	} );

	it( 'counts characters, not UTF-16 units or bytes', () => {
		expect( cutChars( '😀'.repeat( 10 ), 3 ) ).toBe( '😀😀😀' );
		expect( cutChars( 'Жовтий', 3 ) ).toBe( 'Жов' );
		expect( cutChars( 'short', 100 ) ).toBe( 'short' );
		expect( charLength( '😀Ж' ) ).toBe( 2 );
	} );

	it( 'replaces lone surrogates already in the text', () => {
		const cut = cutChars( 'a\uD83Db\uDE00c', 10 );
		expect( cut ).toBe( 'a\uFFFDb\uFFFDc' );
		expect( wellFormed( cut ) ).toBe( true );
	} );
} );

describe( 'strings the sender sends to the plugin', () => {
	const emojiAt = ( n: number ) => 'x'.repeat( n - 1 ) + '😀'.repeat( 5 );

	it( 'an ack error or code cut at its limit stays well-formed', () => {
		const r = ackResult( makeItem( 'A' ), new RunState(), 'failed', {
			code: emojiAt( 100 ),
			message: emojiAt( 2000 ),
		} );
		expect( wellFormed( r.error ?? '' ) ).toBe( true );
		expect( wellFormed( r.code ?? '' ) ).toBe( true );
		expect( charLength( r.error ?? '' ) ).toBe( 2000 );
		expect( charLength( r.code ?? '' ) ).toBe( 100 );
	} );

	it( 'the heartbeat error cut at its limit stays well-formed', () => {
		const m = new WorkerMetrics( { now: () => 0, sleep: async () => {} } );
		m.error( emojiAt( 1000 ) );
		const last = m.heartbeat( null ).last_error ?? '';
		expect( wellFormed( last ) ).toBe( true );
		expect( charLength( last ) ).toBe( 1000 );
	} );
} );
