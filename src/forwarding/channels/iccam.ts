import { writeFileAtomically } from './atomic-file.ts';
import type { Delivered } from './channel.ts';
import { type Channel, type Delivery, DeliveryFailure } from './channel.ts';
import { type IccamRecord, iccamRecord } from './iccam-record.ts';

/**
 * Whatever carries ICCAM records to ICCAM: the default writes them to a folder (for an operator or
 * a bridge to pick up); a deployment with API access plugs in its own (client certificate, token).
 * `send` may be called twice for one forward (at-least-once): `record.hotlineReference` is stable.
 */
export interface IccamTransport {
  send(record: IccamRecord): Promise<Delivered>;
}

/** The default transport: one JSON file per forward, written atomically, named by its reference. */
export function iccamFolderTransport(folder: string | undefined): IccamTransport {
  return {
    async send(record) {
      if (!folder) throw new DeliveryFailure('iccam_folder_not_configured');
      await writeFileAtomically(folder, `iccam-${record.hotlineReference}.json`, async (out) => {
        out.end(`${JSON.stringify(record, null, 2)}\n`);
        await new Promise<void>((resolve, reject) => out.once('finish', resolve).once('error', reject));
      });
      return {};
    },
  };
}

/** The ICCAM channel: the forward as an ICCAM-shaped record, handed to the transport. */
export function iccamChannel(transport: IccamTransport): Channel {
  return {
    deliver({ forward, destination, now }: Delivery) {
      return transport.send(iccamRecord(forward, destination, now));
    },
  };
}
