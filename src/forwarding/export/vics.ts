import { type Label, projectVicCategoryOf } from '../../taxonomy/taxonomy.ts';

/** One medium as it goes into a Project VIC hash set: its hashes and what our assessment says. */
export interface VicsMedium {
  md5: string;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  blockhash: string | null;
  size: number | null;
  mimeType: string | null;
  label: Label | null;
  /** When the assessment behind the label was confirmed, ms since the epoch. */
  updatedAt: number;
}

/** IPED accepts only this context for a 2.0 hash set (../shared/reference/exchange-formats.md §1.2). */
export const VICS_MEDIA_CONTEXT =
  'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media';

/** One VICS 2.0 Media record; SHA-256, PDQ and blockhash go in AlternativeHashes (§1.7, names a GUESS there). */
export function vicsMediaRecord(medium: VicsMedium, mediaId: number): Record<string, unknown> {
  const md5 = medium.md5.toUpperCase();
  const category = medium.label ? projectVicCategoryOf(medium.label) : null;
  const alternative: [string, string | undefined][] = [
    ['SHA256', medium.sha256?.toUpperCase()],
    ['PDQ', medium.pdq?.toLowerCase()],
    ['Blockhash', medium.blockhash?.toLowerCase()],
  ];
  return {
    MediaID: mediaId,
    MD5: md5,
    ...(medium.sha1 ? { SHA1: medium.sha1.toUpperCase() } : {}),
    ...(category !== null ? { Category: category } : {}),
    ...(medium.size !== null ? { MediaSize: medium.size } : {}),
    ...(medium.mimeType ? { MimeType: medium.mimeType } : {}),
    DateUpdated: new Date(medium.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    IsPrecategorized: category !== null,
    AlternativeHashes: alternative.flatMap(([HashName, HashValue]) =>
      HashValue ? [{ MD5: md5, HashName, HashValue }] : [],
    ),
  };
}

/** The hash set as JSON text, record by record, so that a large export never sits whole in memory. */
export async function* vicsMediaHashSet(
  media: Iterable<VicsMedium> | AsyncIterable<VicsMedium>,
): AsyncGenerator<string> {
  yield `{"@odata.context":${JSON.stringify(VICS_MEDIA_CONTEXT)},"value":[`;
  let mediaId = 0;
  for await (const medium of media) {
    mediaId += 1;
    yield `${mediaId > 1 ? ',' : ''}\n${JSON.stringify(vicsMediaRecord(medium, mediaId))}`;
  }
  yield '\n]}\n';
}
