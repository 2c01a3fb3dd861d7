/**
 * Where a decided item goes: the Belgian cooperation protocol (DESIGN.md §7) as data-driven rules.
 * Pure and explained: every destination comes with the reasons that put it there, in the order the
 * item's locations were given, so the item screen and the audit can say why.
 */

/** The receiver of a forward. A hosting provider is named by its network (ASN). */
export type Destination =
  | { kind: 'police' }
  | { kind: 'partner_hotline'; country: string }
  | { kind: 'hosting_provider'; asn: number };

/** Where one location of the item (its page, or one medium) is hosted, as triage found it. */
export interface Location {
  /** `page`, or `medium:<n>` for the n-th medium. */
  what: string;
  country: string | null;
  asn: number | null;
}

/** The conclusion of a confirmed assessment: a legal status, or that the content was gone. */
export type Conclusion = 'baseline' | 'national' | 'not_illegal' | 'gone';

export interface Directory {
  /** ISO 3166 alpha-2 codes of the countries with an active INHOPE partner hotline (home excluded). */
  partnerCountries: ReadonlySet<string>;
  /** Networks whose abuse contact an admin approved for notices. */
  approvedProviders: ReadonlySet<number>;
}

export interface RoutingRules {
  /** The hotline's own country: content hosted here goes to the police. */
  homeCountry: string;
  /** Also send the police what goes to a partner hotline abroad. */
  informPoliceOfPartnerForwards: boolean;
  /**
   * Notify the hosting provider ourselves: `never` (the Belgian protocol: the police handle takedown
   * at home and partners abroad), `home` (providers in our country), `always`. Only approved contacts.
   */
  notifyProviders: 'never' | 'home' | 'always';
}

export type RouteReason =
  | { code: 'hosted_home'; what: string; country: string }
  | { code: 'partner_country'; what: string; country: string }
  | { code: 'no_partner'; what: string; country: string }
  | { code: 'hosting_unknown'; what: string }
  | { code: 'police_informed'; what: string; country: string }
  | { code: 'provider_notice'; what: string; asn: number };

export interface Route {
  destination: Destination;
  reasons: RouteReason[];
}

export interface Routing {
  routes: Route[];
  /** Why nothing is forwarded, when nothing is. */
  none: 'not_illegal' | 'gone' | 'no_location' | null;
}

/** The Belgian cooperation protocol, as configured by default. */
export const belgianRules: RoutingRules = {
  homeCountry: 'BE',
  informPoliceOfPartnerForwards: false,
  notifyProviders: 'never',
};

export function destinationKey(destination: Destination): string {
  switch (destination.kind) {
    case 'police':
      return 'police';
    case 'partner_hotline':
      return `partner:${destination.country}`;
    case 'hosting_provider':
      return `provider:AS${destination.asn}`;
  }
}

/** Routes a decided item: every location (the page and each medium) by where its content is. */
export function routeAssessment(
  locations: readonly Location[],
  conclusion: Conclusion,
  directory: Directory,
  rules: RoutingRules,
): Routing {
  if (conclusion === 'not_illegal' || conclusion === 'gone') return { routes: [], none: conclusion };
  if (locations.length === 0) return { routes: [], none: 'no_location' };

  const routes = new Map<string, Route>();
  const add = (destination: Destination, reason: RouteReason) => {
    const key = destinationKey(destination);
    const route = routes.get(key) ?? { destination, reasons: [] };
    route.reasons.push(reason);
    routes.set(key, route);
  };

  for (const location of locations) {
    for (const [destination, reason] of destinationsOf(location, directory, rules)) add(destination, reason);
  }
  return { routes: [...routes.values()], none: null };
}

function destinationsOf(
  { what, country, asn }: Location,
  directory: Directory,
  rules: RoutingRules,
): [Destination, RouteReason][] {
  const police: Destination = { kind: 'police' };
  const out: [Destination, RouteReason][] = [];
  const home = country === rules.homeCountry;
  if (country === null) {
    out.push([police, { code: 'hosting_unknown', what }]);
  } else if (home) {
    out.push([police, { code: 'hosted_home', what, country }]);
  } else if (directory.partnerCountries.has(country)) {
    out.push([
      { kind: 'partner_hotline', country },
      { code: 'partner_country', what, country },
    ]);
    if (rules.informPoliceOfPartnerForwards) out.push([police, { code: 'police_informed', what, country }]);
  } else {
    out.push([police, { code: 'no_partner', what, country }]);
  }
  const notify = rules.notifyProviders === 'always' || (rules.notifyProviders === 'home' && home);
  if (notify && asn !== null && directory.approvedProviders.has(asn)) {
    out.push([
      { kind: 'hosting_provider', asn },
      { code: 'provider_notice', what, asn },
    ]);
  }
  return out;
}
