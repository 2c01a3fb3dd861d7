import { createTransport, type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { DeliveryConfig } from '../../config.ts';
import { type Channel, type Delivery, DeliveryFailure, deliveryFailureOf } from './channel.ts';
import { noticeReference, noticeText } from './notice-text.ts';

const abuseAddress = z.string().email();
const smtpTimeouts = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 };

/**
 * The e-mail channel: a notice (or a reminder) to a hosting provider's abuse contact, through the
 * configured SMTP relay, in the destination's language. Only to a destination an admin approved,
 * and only to an address: the directory's contact of a provider is its abuse mailbox.
 */
export function emailChannel(deps: Pick<DeliveryConfig, 'smtpUrl' | 'mailFrom'>): Channel {
  let transport: Transporter | undefined;
  return {
    async deliver({ forward, destination, reminder, sentAt }: Delivery) {
      if (!destination.approved) throw new DeliveryFailure('destination_not_approved');
      const to = abuseAddress.safeParse(destination.contact);
      if (!to.success) throw new DeliveryFailure('destination_contact_not_email');
      if (!deps.smtpUrl || !deps.mailFrom) throw new DeliveryFailure('smtp_not_configured');
      // Bounded waits: a relay that hangs fails the attempt (and it is retried) rather than holding the worker.
      transport ??= createTransport({ url: deps.smtpUrl, ...smtpTimeouts });
      const { subject, text } = noticeText({
        forward,
        language: destination.language ?? 'en',
        reminder,
        firstSentAt: sentAt,
      });
      let sent: { rejected?: unknown[] };
      try {
        sent = await transport.sendMail({
          from: deps.mailFrom,
          to: to.data,
          subject,
          text,
          headers: { 'X-Hotline-Reference': noticeReference(forward.forwardId) },
        });
      } catch (error) {
        throw deliveryFailureOf('smtp', error);
      }
      if ((sent.rejected?.length ?? 0) > 0) throw new DeliveryFailure('smtp:rejected');
      return {};
    },
  };
}
