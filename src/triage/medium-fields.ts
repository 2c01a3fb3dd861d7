import type { InspectedMedium, SiteHosting } from './pipeline.ts';

/**
 * What is kept of a medium: its address, type, size and signals, never its bytes. One mapping for
 * what triage stores (`item_media`) and what `hotline triage` prints.
 */
export function mediumFields({ url, size, signals, refusal, tlsInvalid }: InspectedMedium) {
  return {
    url,
    mediaType: signals.mediaType,
    size,
    width: signals.width,
    height: signals.height,
    sha256: signals.sha256,
    sha1: signals.sha1,
    md5: signals.md5,
    blockhash: signals.blockhash,
    pdq: signals.pdq,
    pdqQuality: signals.pdqQuality,
    refusal,
    tlsInvalid,
  };
}

/** A hosting as the `hosting_*` columns of items and item_media hold it. */
export function hostingColumns(hosting: SiteHosting | null) {
  return {
    hostingIp: hosting?.ip ?? null,
    hostingCountry: hosting?.country ?? null,
    hostingAsn: hosting?.asn ?? null,
    hostingOrg: hosting?.org ?? null,
  };
}
