<?php
/**
 * keyCRM's stock webhook fed what a hostile or broken world sends, over real HTTP. What is
 * asserted is the answer's status and the END STATE of stock in the shop: a refused payload
 * changes nothing and stores nothing; a payload with bad items applies every good one.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Faults;

use KeyCrmSync\StockSource\PullSchedule;
use KeyCrmSync\Tests\StockSource\StockSourceTestCase;

require_once dirname( __DIR__ ) . '/StockSource/StockSourceTestCase.php';
require_once __DIR__ . '/FaultFigures.php';

final class WebhookFaultsTest extends StockSourceTestCase {

	private const BOUNDARY = 'stock webhook';

	private const SECRET = 'test-secret-xxxxxxxxxxxxxxxxxxxx';

	/**
	 * Bodies refused whole: label => raw body. `%s` is the good SKU.
	 *
	 * @return array<string, string>
	 */
	private static function refused_bodies(): array {
		$deep = str_repeat( '[', 5000 ) . str_repeat( ']', 5000 );
		return array(
			'malformed JSON'                       => '[{"sku":"%s","in_stock":9',
			'empty body'                           => '',
			'whitespace only'                      => " \n\t ",
			'JSON null'                            => 'null',
			'a number, not a list'                 => '42',
			'an object, not a list'                => '{"sku":"%s","in_stock":9}',
			'deep nesting (5,000 levels)'          => $deep,
			'nested item (depth 9)'                => '[{"sku":"%s","in_stock":[[[[[[[9]]]]]]]}]',
			'a null item'                          => '[{"sku":"%s","in_stock":9,"in_reserve":0},null]',
			'in_stock null'                        => '[{"sku":"%s","in_stock":null,"in_reserve":0}]',
			'in_stock NaN (not JSON)'              => '[{"sku":"%s","in_stock":NaN,"in_reserve":0}]',
			'in_stock Infinity (not JSON)'         => '[{"sku":"%s","in_stock":Infinity,"in_reserve":0}]',
			'in_stock 1e999 (INF once decoded)'    => '[{"sku":"%s","in_stock":1e999,"in_reserve":0}]',
			'in_stock -1e999'                      => '[{"sku":"%s","in_stock":-1e999,"in_reserve":0}]',
			'in_stock 1e10 (over the limit)'       => '[{"sku":"%s","in_stock":1e10,"in_reserve":0}]',
			'in_stock "nine"'                      => '[{"sku":"%s","in_stock":"nine","in_reserve":0}]',
			'in_stock "1e3" (exponent string)'     => '[{"sku":"%s","in_stock":"1e3","in_reserve":0}]',
			'in_stock " 9" (padded string)'        => '[{"sku":"%s","in_stock":" 9","in_reserve":0}]',
			'in_stock true'                        => '[{"sku":"%s","in_stock":true,"in_reserve":0}]',
			'in_stock an object'                   => '[{"sku":"%s","in_stock":{"v":9},"in_reserve":0}]',
			'sku a number'                         => '[{"sku":12,"in_stock":9,"in_reserve":0}]',
			'sku a list'                           => '[{"sku":["%s"],"in_stock":9,"in_reserve":0}]',
			'offer_id negative'                    => '[{"offer_id":-1,"sku":"%s","in_stock":9,"in_reserve":0}]',
			'offer_id a string'                    => '[{"offer_id":"1; DROP TABLE x","sku":"%s","in_stock":9,"in_reserve":0}]',
			'invalid UTF-8 in the body'            => "[{\"sku\":\"%s\xff\xfe\",\"in_stock\":9,\"in_reserve\":0}]",
			'10,001 items'                         => (string) wp_json_encode( array_fill( 0, 10001, array( 'sku' => 'X', 'in_stock' => 1 ) ) ),
		);
	}

	public function test_refused_payloads_change_nothing_and_store_nothing(): void {
		$good = self::sku( 'WF' );
		$this->simple( $good, 5 );
		$codes = array();
		foreach ( self::refused_bodies() as $label => $body ) {
			$r = $this->webhook( str_replace( '%s', $good, $body ), self::SECRET );
			$this->assertContains( $r['status'], array( 400, 413 ), $label . ': ' . $r['body'] );
			$this->assertSame( 5, $this->stock( $good ), $label . ': nothing applied' );
			$this->assertSame( array(), $this->inbox(), $label . ': nothing stored' );
			$codes[ $label ] = $r['status'];
			FaultFigures::record( self::BOUNDARY, $label, 'error' );
		}
		$this->assertCount( count( self::refused_bodies() ), $codes );
	}

	public function test_a_body_over_2_mib_is_refused_before_it_is_parsed(): void {
		$good = self::sku( 'WF' );
		$this->simple( $good, 5 );
		$items = array();
		for ( $i = 0; strlen( (string) wp_json_encode( $items ) ) <= 2 * 1024 * 1024; $i++ ) {
			$items[] = array( 'sku' => $good . '-' . $i . str_repeat( 'x', 200 ), 'in_stock' => 1, 'in_reserve' => 0 );
		}
		$items[] = array( 'sku' => $good, 'in_stock' => 9, 'in_reserve' => 0 );
		$r = $this->webhook( $items, self::SECRET );
		$this->assertSame( 413, $r['status'], $r['body'] );
		$this->assertSame( 5, $this->stock( $good ) );
		$this->assertSame( array(), $this->inbox() );
		FaultFigures::record( self::BOUNDARY, 'body over 2 MiB', 'error' );
	}

	public function test_bad_items_are_skipped_and_every_good_item_is_applied(): void {
		$good = array();
		for ( $i = 0; $i < 4; $i++ ) {
			$good[ $i ] = self::sku( 'WG' );
			$this->simple( $good[ $i ], 1 );
		}
		$bad = array(
			'sku null'               => array( 'sku' => null, 'in_stock' => 7, 'in_reserve' => 0 ),
			'sku absent'             => array( 'in_stock' => 7, 'in_reserve' => 0 ),
			'sku empty'              => array( 'sku' => '', 'in_stock' => 7, 'in_reserve' => 0 ),
			'sku of spaces'          => array( 'sku' => '     ', 'in_stock' => 7, 'in_reserve' => 0 ),
			'sku of 10 KB'           => array( 'sku' => str_repeat( 'S', 10240 ), 'in_stock' => 7, 'in_reserve' => 0 ),
			'sku unknown to the shop' => array( 'sku' => 'NOT-IN-SHOP-' . $good[0], 'in_stock' => 7, 'in_reserve' => 0 ),
		);
		$payload = array();
		foreach ( $bad as $item ) {
			$payload[] = $item;
			$payload[] = array( 'sku' => $good[ count( $payload ) % 4 ], 'in_stock' => 20 + count( $payload ), 'in_reserve' => 0 );
		}
		$want = array();
		foreach ( $payload as $item ) {
			if ( isset( $item['sku'] ) && in_array( $item['sku'], $good, true ) ) {
				$want[ $item['sku'] ] = $item['in_stock']; // The later item of a SKU wins.
			}
		}
		$r = $this->webhook( $payload, self::SECRET );
		$this->assertSame( 200, $r['status'], $r['body'] );
		$lost = 0;
		foreach ( $want as $sku => $qty ) {
			$lost += $this->stock( (string) $sku ) === $qty ? 0 : 1;
		}
		$this->assertSame( 0, $lost, 'every good item applied' );
		$this->assertSame( array( 'NOT-IN-SHOP-' . $good[0] ), $this->remote( 'unknown' ) );
		foreach ( array_keys( $bad ) as $label ) {
			FaultFigures::record( self::BOUNDARY, $label . ' (beside good items)', 'skip', $lost, count( $want ) );
		}
	}

	public function test_valid_edge_values_are_applied_as_meant(): void {
		$cases = array(
			'duplicates of one SKU (the last wins)'  => array( array( 3, 0 ), array( 4, 0 ), array( 6, 0 ) ),
			'numeric strings for numbers'            => array( array( '6', '0' ) ),
			'fractions (rounded down)'               => array( array( 6.9, 0 ) ),
			'negative in_stock'                      => array( array( -3, 0 ) ),
			'reserve above stock'                    => array( array( 2, 5 ) ),
			'in_reserve null'                        => array( array( 6, null ) ),
		);
		$want = array(
			'duplicates of one SKU (the last wins)' => 6,
			'numeric strings for numbers'           => 6,
			'fractions (rounded down)'              => 6,
			'negative in_stock'                     => 0,
			'reserve above stock'                   => 0,
			'in_reserve null'                       => 6,
		);
		foreach ( $cases as $label => $items ) {
			$sku = self::sku( 'WE' );
			$this->simple( $sku, 1 );
			$payload = array_map(
				static fn( $q ) => array(
					'sku'        => $sku,
					'in_stock'   => $q[0],
					'in_reserve' => $q[1],
				),
				$items
			);
			$r = $this->webhook( $payload, self::SECRET );
			$this->assertSame( 200, $r['status'], $label . ': ' . $r['body'] );
			$this->assertSame( $want[ $label ], $this->stock( $sku ), $label );
			FaultFigures::record( self::BOUNDARY, $label, 'accepted', 0, 1 );
		}
	}

	public function test_wrong_secret_method_or_content_type_changes_nothing(): void {
		$good = self::sku( 'WS' );
		$this->simple( $good, 5 );
		$body = (string) wp_json_encode( array( array( 'sku' => $good, 'in_stock' => 9, 'in_reserve' => 0 ) ) );
		$secrets = array(
			'no secret'                => null,
			'empty secret'             => '',
			'wrong secret'             => 'wrong',
			'secret one character short' => substr( self::SECRET, 0, -1 ),
			'secret with a suffix'     => self::SECRET . 'x',
			'secret in another case'   => strtoupper( self::SECRET ),
			'secret of 10 KB'          => str_repeat( 's', 10240 ),
		);
		foreach ( $secrets as $label => $secret ) {
			$r = $this->webhook( $body, $secret );
			$this->assertSame( 403, $r['status'], $label );
			FaultFigures::record( self::BOUNDARY, $label, 'error' );
		}
		$r = $this->raw( 'POST', '&secret[]=' . rawurlencode( self::SECRET ), $body, 'application/json' );
		$this->assertContains( $r['status'], array( 400, 403 ), 'secret as an array' );
		FaultFigures::record( self::BOUNDARY, 'secret as an array', 'error' );
		foreach ( array( 'GET', 'PUT', 'DELETE', 'PATCH' ) as $method ) {
			$r = $this->raw( $method, '&secret=' . rawurlencode( self::SECRET ), $body, 'application/json' );
			$this->assertContains( $r['status'], array( 404, 405 ), $method );
			FaultFigures::record( self::BOUNDARY, 'method ' . $method, 'error' );
		}
		$this->assertSame( 5, $this->stock( $good ) );
		$this->assertSame( array(), $this->inbox() );

		// A content type other than JSON: the body is still read as JSON, or refused; never half-applied.
		foreach ( array( 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x' ) as $i => $type ) {
			$before = $this->stock( $good );
			$r      = $this->raw( 'POST', '&secret=' . rawurlencode( self::SECRET ), (string) wp_json_encode( array( array( 'sku' => $good, 'in_stock' => 10 + $i, 'in_reserve' => 0 ) ) ), $type );
			$this->assertContains( $r['status'], array( 200, 400, 415 ), $type . ': ' . $r['body'] );
			$this->assertSame( 200 === $r['status'] ? 10 + $i : $before, $this->stock( $good ), $type );
			FaultFigures::record( self::BOUNDARY, 'content type ' . $type, 200 === $r['status'] ? 'accepted' : 'error' );
		}
	}

	/**
	 * keyCRM's stock webhook carries no time, sequence or signature (API-NOTES §c.1). Without the
	 * secret a replay is refused. With it, a body equal to an earlier one keeps the earlier one's
	 * place in the order: a SKU set by a newer body since keeps the newer value (`superseded`),
	 * and a full stock pull is requested, which reads keyCRM's actual stock (so a genuine return
	 * to the earlier value is restored by the pull, not by the replayed bytes).
	 */
	public function test_a_replayed_older_payload_needs_the_secret_and_cannot_overwrite_a_newer_value(): void {
		$sku = self::sku( 'WR' );
		$this->simple( $sku, 1 );
		$older = (string) wp_json_encode( array( array( 'offer_id' => 5, 'sku' => $sku, 'in_stock' => 3, 'in_reserve' => 0 ) ) );
		$newer = (string) wp_json_encode( array( array( 'offer_id' => 5, 'sku' => $sku, 'in_stock' => 8, 'in_reserve' => 0 ) ) );
		$this->assertSame( 200, $this->webhook( $older, self::SECRET )['status'] );
		$this->assertSame( 200, $this->webhook( $newer, self::SECRET )['status'] );
		$this->assertNull( ( new PullSchedule( $this->settings() ) )->state()['requested_at'], 'no pull asked for yet' );
		$this->assertSame( 403, $this->webhook( $older, 'guessed' )['status'] );
		$this->assertSame( 8, $this->stock( $sku ), 'a replay without the secret changes nothing' );
		$this->assertCount( 2, $this->inbox(), 'and stores nothing' );
		FaultFigures::record( self::BOUNDARY, 'replay of an older payload without the secret', 'error' );

		$replay = $this->webhook( $older, self::SECRET );
		$this->assertSame( 200, $replay['status'], $replay['body'] );
		$this->assertSame( 8, $this->stock( $sku ), 'with the secret the replay keeps its old place: the newer value stays' );
		$inbox = $this->inbox();
		$this->assertCount( 3, $inbox );
		$this->assertSame( $inbox[0]['id'], $inbox[2]['replay_of'], 'recorded as a repeat of the first body' );
		$this->assertSame( 1, json_decode( (string) $inbox[2]['summary'], true )['superseded'] );
		wp_cache_flush();
		$this->assertNotNull( ( new PullSchedule( $this->settings() ) )->state()['requested_at'], 'a full pull is requested' );
		FaultFigures::record( self::BOUNDARY, 'replay of an older payload with the secret (superseded, pull requested)', 'skip', 0, 1 );

		// A newer real change after the replay still applies.
		$newest = (string) wp_json_encode( array( array( 'offer_id' => 5, 'sku' => $sku, 'in_stock' => 11, 'in_reserve' => 0 ) ) );
		$this->assertSame( 200, $this->webhook( $newest, self::SECRET )['status'] );
		$this->assertSame( 11, $this->stock( $sku ) );
	}

	/**
	 * A raw request to the webhook route (any method and content type).
	 *
	 * @param string $method HTTP method.
	 * @param string $query  Query string to append (starting with &).
	 * @param string $body   Body.
	 * @param string $type   Content type.
	 * @return array{status: int, body: string}
	 */
	private function raw( string $method, string $query, string $body, string $type ): array {
		$response = wp_remote_request(
			rtrim( (string) getenv( 'KCS_TEST_URL' ), '/' ) . '/?rest_route=/keycrm-sync/v1/webhook/stock' . $query,
			array(
				'method'  => $method,
				'headers' => array( 'Content-Type' => $type ),
				'body'    => 'GET' === $method ? null : $body,
				'timeout' => 60,
			)
		);
		$this->assertNotWPError( $response );
		wp_cache_flush();
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => (string) wp_remote_retrieve_body( $response ),
		);
	}
}
