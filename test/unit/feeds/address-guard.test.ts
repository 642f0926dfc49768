import { describe, expect, it } from 'vitest';
import { ipLiteralOf, isBlockedAddress } from '#shared/feeds/address-guard.ts';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '[::ffff:10.0.0.1]',
    '0:0:0:0:0:ffff:a9fe:a9fe',
    '::ffff:0:7f00:1',
    '::ffff:0:127.0.0.1',
    '0:0:0:0:ffff:0:a9fe:a9fe',
    '[::ffff:0:808:808]',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );
});

describe('ipLiteralOf', () => {
  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
  ])('reads %s as the address %s', (url, address) => {
    expect(ipLiteralOf(new URL(url))).toBe(address);
  });

  it('refuses an IPv4-translated literal in a URL (::ffff:0:0:0/96)', () => {
    const address = ipLiteralOf(new URL('http://[::ffff:0:127.0.0.1]/'));
    expect(address).toBe('::ffff:0:7f00:1');
    expect(isBlockedAddress(address as string)).toBe(true);
  });

  it('leaves host names to DNS', () => {
    expect(ipLiteralOf(new URL('https://news.example.org/feed'))).toBeUndefined();
  });
});
