import { describe, expect, it } from 'vitest';
import {
  belgianRules,
  type Conclusion,
  type Directory,
  destinationKey,
  type Location,
  type RoutingRules,
  routeAssessment,
} from '../../src/forwarding/routing.ts';

const directory: Directory = { partnerCountries: new Set(['NL', 'DE', 'US']), approvedProviders: new Set([64500]) };
const page = (country: string | null, asn: number | null = null): Location => ({ what: 'page', country, asn });
const medium = (n: number, country: string | null, asn: number | null = null): Location => ({
  what: `medium:${n}`,
  country,
  asn,
});

/** The destinations as short keys with their reason codes: what a person reads off the item screen. */
function route(locations: Location[], conclusion: Conclusion, rules: RoutingRules = belgianRules) {
  const { routes, none } = routeAssessment(locations, conclusion, directory, rules);
  return {
    none,
    to: routes.map((r) => `${destinationKey(r.destination)}<${r.reasons.map((x) => `${x.code}@${x.what}`).join(',')}`),
  };
}

describe('routeAssessment under the Belgian protocol', () => {
  it.each<[string, Location[], Conclusion, string[], string | null]>([
    ['illegal, hosted in Belgium: police', [page('BE')], 'baseline', ['police<hosted_home@page'], null],
    ['nationally illegal in Belgium: police', [page('BE')], 'national', ['police<hosted_home@page'], null],
    [
      'illegal, hosted with a partner: that hotline only',
      [page('NL')],
      'baseline',
      ['partner:NL<partner_country@page'],
      null,
    ],
    ['illegal, no partner in the country: police', [page('KP')], 'baseline', ['police<no_partner@page'], null],
    ['illegal, hosting unknown: police', [page(null)], 'baseline', ['police<hosting_unknown@page'], null],
    ['not illegal: nobody', [page('BE')], 'not_illegal', [], 'not_illegal'],
    ['gone: nobody', [page('NL')], 'gone', [], 'gone'],
    ['no location known at all: nobody, said so', [], 'baseline', [], 'no_location'],
    [
      'media hosted elsewhere than their page are routed by where they are',
      [page('BE'), medium(0, 'US'), medium(1, 'US'), medium(2, 'DE')],
      'baseline',
      [
        'police<hosted_home@page',
        'partner:US<partner_country@medium:0,partner_country@medium:1',
        'partner:DE<partner_country@medium:2',
      ],
      null,
    ],
    [
      'one destination per receiver, with every reason',
      [page(null), medium(0, 'KP'), medium(1, 'BE')],
      'baseline',
      ['police<hosting_unknown@page,no_partner@medium:0,hosted_home@medium:1'],
      null,
    ],
  ])('%s', (_name, locations, conclusion, to, none) => {
    expect(route(locations, conclusion)).toEqual({ to, none });
  });

  it('never notifies a hosting provider itself and never informs the police of a partner forward', () => {
    expect(belgianRules).toEqual({ homeCountry: 'BE', informPoliceOfPartnerForwards: false, notifyProviders: 'never' });
    expect(route([page('BE', 64500), medium(0, 'NL', 64500)], 'baseline').to).toEqual([
      'police<hosted_home@page',
      'partner:NL<partner_country@medium:0',
    ]);
  });
});

describe('routeAssessment under other rules (data, not code)', () => {
  it('informs the police of partner forwards when the rules say so', () => {
    const rules = { ...belgianRules, informPoliceOfPartnerForwards: true };
    expect(route([page('DE')], 'baseline', rules).to).toEqual([
      'partner:DE<partner_country@page',
      'police<police_informed@page',
    ]);
  });

  it('notifies approved providers at home only, or everywhere', () => {
    const home = { ...belgianRules, notifyProviders: 'home' as const };
    expect(route([page('BE', 64500), medium(0, 'NL', 64500)], 'baseline', home).to).toEqual([
      'police<hosted_home@page',
      'provider:AS64500<provider_notice@page',
      'partner:NL<partner_country@medium:0',
    ]);
    const always = { ...belgianRules, notifyProviders: 'always' as const };
    expect(route([medium(0, 'NL', 64500)], 'baseline', always).to).toEqual([
      'partner:NL<partner_country@medium:0',
      'provider:AS64500<provider_notice@medium:0',
    ]);
  });

  it('never sends a notice to a provider whose contact is not approved, or whose network is unknown', () => {
    const always = { ...belgianRules, notifyProviders: 'always' as const };
    expect(route([page('BE', 64501), medium(0, 'BE', null)], 'baseline', always).to).toEqual([
      'police<hosted_home@page,hosted_home@medium:0',
    ]);
  });

  it('a hotline in another country treats its own country as home and Belgium as a partner', () => {
    const dutch = { ...belgianRules, homeCountry: 'NL' };
    const withBelgium: Directory = { ...directory, partnerCountries: new Set(['BE', 'DE']) };
    const { routes } = routeAssessment([page('NL'), medium(0, 'BE')], 'baseline', withBelgium, dutch);
    expect(routes.map((r) => destinationKey(r.destination))).toEqual(['police', 'partner:BE']);
  });
});
