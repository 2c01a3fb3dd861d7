import type { Config } from '../../config.ts';
import type { ChannelName } from '../../db/schema/forwarding.ts';
import type { SigningKey } from '../../key-files.ts';
import type { Channel, DestinationRow } from './channel.ts';
import { dropFolderChannel } from './drop-folder.ts';
import { emailChannel } from './email.ts';
import { type IccamTransport, iccamChannel, iccamFolderTransport } from './iccam.ts';

export type Channels = Record<ChannelName, Channel>;

/** The channels of a deployment, from its configuration; the ICCAM transport may be replaced. */
export function createChannels(deps: {
  config: Pick<Config, 'forwarding'>;
  signingKey: SigningKey;
  iccamTransport?: IccamTransport;
}): Channels {
  const { delivery, rules } = deps.config.forwarding;
  return {
    drop_folder: dropFolderChannel({
      folders: delivery.dropFolders,
      signingKey: deps.signingKey,
      homeCountry: rules.homeCountry,
    }),
    email: emailChannel(delivery),
    iccam: iccamChannel(deps.iccamTransport ?? iccamFolderTransport(delivery.iccamFolder)),
  };
}

/** A destination's channel: its directory row's, else the configured one for its kind; null when it gets none. */
export function channelOf(
  destination: Pick<DestinationRow, 'kind' | 'channel'>,
  delivery: Config['forwarding']['delivery'],
): ChannelName | null {
  return destination.channel ?? delivery.channels[destination.kind];
}
