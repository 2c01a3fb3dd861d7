import { join } from 'node:path';
import type { DeliveryConfig } from '../../config.ts';
import type { SigningKey } from '../../key-files.ts';
import { exportFiles } from '../export/export-files.ts';
import { writeSignedPackage } from '../export/package.ts';
import { writeFileAtomically } from './atomic-file.ts';
import { type Channel, type Delivery, DeliveryFailure, type DestinationRow } from './channel.ts';

/** The folder a destination's packages go to: the police's, or the partners' folder's subfolder for its country. */
export function dropFolderOf(destination: DestinationRow, folders: DeliveryConfig['dropFolders']): string {
  if (destination.kind === 'police' && folders.police) return folders.police;
  if (destination.kind === 'partner_hotline' && destination.country && folders.partner) {
    return join(folders.partner, destination.country);
  }
  throw new DeliveryFailure('drop_folder_not_configured');
}

/** A stable name: a repeated delivery of the same forward replaces its package rather than adding one. */
export const packageName = (forwardId: number) => `hotline-forward-${forwardId}.zip`;

/**
 * The drop folder channel: one forward as a signed export package (the export's own files and
 * signature, src/forwarding/export), written atomically into the destination's folder.
 */
export function dropFolderChannel(deps: {
  folders: DeliveryConfig['dropFolders'];
  signingKey: SigningKey;
  homeCountry: string;
}): Channel {
  return {
    async deliver({ forward, destination, descriptions, now }: Delivery) {
      const folder = dropFolderOf(destination, deps.folders);
      const header = {
        to: destination.key,
        since: forward.forwardedAt,
        until: forward.forwardedAt,
        createdAt: now,
        homeCountry: deps.homeCountry,
        descriptions,
      };
      await writeFileAtomically(folder, packageName(forward.forwardId), (out) =>
        writeSignedPackage(
          exportFiles(header, () => [forward]),
          deps.signingKey,
          out,
          new Date(now),
        ),
      );
      return {};
    },
  };
}
