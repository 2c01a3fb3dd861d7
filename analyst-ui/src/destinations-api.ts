// The directory of receivers in the JSON API (src/forwarding/directory.ts).
import { type Api, ApiError } from './api.ts';

export const destinationKinds = ['police', 'partner_hotline', 'hosting_provider', 'interpol'] as const;
export type DestinationKind = (typeof destinationKinds)[number];
/** How forwards reach a receiver; null on a row: the configured channel of its kind. */
export const channels = ['drop_folder', 'email', 'iccam'] as const;
export type Channel = (typeof channels)[number];
/** The languages notices are written in (the server's list); null on a row: English. */
export const noticeLanguages = ['fr', 'nl', 'en', 'de'] as const;
export type NoticeLanguage = (typeof noticeLanguages)[number];

export interface DestinationView {
  id: number;
  key: string;
  kind: DestinationKind;
  country: string | null;
  asn: number | null;
  name: string;
  contact: string | null;
  approved: boolean;
  source: string;
  asOf: string | null;
  confidence: 'high' | 'medium' | 'low' | null;
  active: boolean;
  channel: Channel | null;
  language: NoticeLanguage | null;
}

export type DestinationPatch = Partial<
  Pick<DestinationView, 'contact' | 'channel' | 'language' | 'active' | 'approved'>
>;

/** What an admin adds: a hosting provider's abuse desk (by network) or a partner hotline (by country). */
export type NewDestination =
  | {
      kind: 'hosting_provider';
      asn: number | string;
      name: string;
      contact: string;
      country: string | null;
      language: NoticeLanguage | null;
      source: string;
    }
  | {
      kind: 'partner_hotline';
      country: string;
      name: string;
      contact: string;
      channel: Channel | null;
      language: NoticeLanguage | null;
      source: string;
      asOf: string | null;
    };

export const listDestinations = (api: Api) => api.call<{ destinations: DestinationView[] }>('GET', '/destinations');
export const addDestination = (api: Api, input: NewDestination) =>
  api.call<{ destination: DestinationView }>('POST', '/destinations', input);
export const changeDestination = (api: Api, id: number, patch: DestinationPatch) =>
  api.call<{ destination: DestinationView }>('PATCH', `/destinations/${id}`, patch);

/** The refusals of the server by field; a taken key (network, country) is shown at its field too. */
export function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  if (error.id === 'destination_exists') return { asn: error.message };
  if (error.id === 'partner_exists') return { country: error.message };
  return error.fields;
}
