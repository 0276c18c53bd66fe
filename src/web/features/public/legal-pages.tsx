import type { ReactNode } from 'react';
import { Link } from '../../lib/router';
import { SUPPORT_EMAIL } from '../../lib/support';

/*
 * The terms of service and the privacy notice: plain words about what the product actually does
 * (payments.md for the money, domain.md for who sees a session). When the product changes what it
 * does with money or data, these pages change with it.
 */

function LegalPage({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    <article className="mx-auto max-w-2xl space-y-6 leading-relaxed text-slate-800">
      <header className="space-y-2">
        <h1 className="text-3xl font-extrabold tracking-tight">{title}</h1>
        <p className="text-slate-700">{intro}</p>
      </header>
      {children}
      <Contact />
    </article>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-2">
      <h2 className="text-xl font-bold">{title}</h2>
      {children}
    </section>
  );
}

function Contact() {
  return (
    <section className="card space-y-1" aria-labelledby="contact">
      <h2 id="contact" className="font-bold">
        Questions?
      </h2>
      <p className="text-sm">
        Write to our support team at{' '}
        <a className="font-medium text-blue-800 underline" href={`mailto:${SUPPORT_EMAIL}`}>
          {SUPPORT_EMAIL}
        </a>
        . Tell us the email of your account, and the session if it is about one.
      </p>
    </section>
  );
}

export function Terms() {
  return (
    <LegalPage
      title="Terms of service"
      intro="The agreement between you and AutoDoctor when you use it, as a car owner or as a mechanic. By creating an account you accept these terms."
    >
      <Part title="What AutoDoctor is">
        <p>
          AutoDoctor is a marketplace: it connects car owners with certified mechanics who help remotely, by chat with
          photos and by video, and who write a report afterwards. Every mechanic is reviewed and approved by our team
          before they can take requests.
        </p>
      </Part>
      <Part title="What remote help can and cannot do">
        <p>
          A mechanic advises from what you describe and show; they cannot touch or test your car. Their report says what
          they think is wrong, how urgent it is and what a repair might cost, but it is not a guarantee or a repair
          quote. If a mechanic says the car is unsafe to drive, do not drive it. In an emergency, call the emergency
          services first.
        </p>
      </Part>
      <Part title="Your account">
        <ul className="list-disc space-y-1 pl-5">
          <li>One account per person. Keep your password to yourself; you can change it on your account page.</li>
          <li>
            An account is either a customer’s or a mechanic’s. To work as a mechanic, create a mechanic account and send
            an application; we may approve or decline it.
          </li>
          <li>Be honest and polite in sessions. We may suspend accounts that abuse other people or the service.</li>
        </ul>
      </Part>
      <Part title="Payments: authorised first, charged only when you were helped">
        <ul className="list-disc space-y-1 pl-5">
          <li>
            When you ask for help with a paid plan, your card is <strong>authorised</strong> for the plan’s price: the
            money is held, not taken.
          </li>
          <li>
            It is <strong>charged (captured) only when a mechanic has helped you</strong>, that is when the session is
            completed.
          </li>
          <li>
            If no mechanic accepts in time, if the mechanic does not show up, or if you cancel before the session
            starts, the hold is released and you pay nothing.
          </li>
          <li>
            If a mechanic accepted and you do not join in time, we may charge a no-show fee of part of the plan’s price
            (half, unless a different fee is shown before you pay).
          </li>
          <li>Extra time you add during a session is charged when you add it, at the price shown.</li>
          <li>
            Not satisfied with a completed session? Ask for a refund from your receipts within 7 days; our support team
            reviews every request.
          </li>
        </ul>
      </Part>
      <Part title="Mechanics">
        <p>
          Mechanics earn a share of what each session they helped in is charged, shown on their earnings page, and are
          paid on a regular schedule to the payout account they set up. Refunds reduce the mechanic’s share in
          proportion.
        </p>
      </Part>
      <Part title="Your data">
        <p>
          What we keep and who sees it is in the{' '}
          <Link href="/privacy" className="font-medium text-blue-800 underline">
            privacy notice
          </Link>
          .
        </p>
      </Part>
    </LegalPage>
  );
}

export function Privacy() {
  return (
    <LegalPage title="Privacy notice" intro="What AutoDoctor keeps about you, why, who sees it and for how long.">
      <Part title="What we keep">
        <ul className="list-disc space-y-1 pl-5">
          <li>
            <strong>Your account:</strong> your name, email and role. Your password is stored only as a one-way hash;
            nobody at AutoDoctor can read it.
          </li>
          <li>
            <strong>Your sessions:</strong> the vehicle you describe (and its VIN if you give it), what is happening
            with it, the chat messages, photos and files you share, the mechanic’s report and your rating.
          </li>
          <li>
            <strong>Your garage:</strong> the vehicles you save (make, model, year, VIN, mileage), until you delete
            them.
          </li>
          <li>
            <strong>Payments:</strong> amounts, dates and what was charged or refunded. We never store card numbers:
            only the card’s brand and last four digits, so you can recognise it on a receipt.
          </li>
          <li>
            <strong>Video calls</strong> go directly between your browser and the mechanic’s and are not recorded. A
            snapshot is kept only if someone sends it in the chat.
          </li>
          <li>
            <strong>For mechanics:</strong> the application (makes, experience, workshop, about you), shifts, earnings
            and the payout account.
          </li>
        </ul>
      </Part>
      <Part title="Who sees it">
        <p>
          A session is seen by its customer, the mechanic who took it, and AutoDoctor’s support staff. While a request
          waits, mechanics who could take it see the vehicle and the problem, never your email. If you share a report by
          link, anyone with the link can read that report (not your chat, not your email) for 7 days, or until you
          revoke the link. We do not sell your data or show you advertising.
        </p>
      </Part>
      <Part title="How long we keep it">
        <p>
          We keep your sessions, reports and receipts while your account exists, so you can come back to them. Payment
          records are kept as long as accounting law requires, even after an account is closed. To have your account
          closed and your other data deleted, write to us at the address below.
        </p>
      </Part>
      <Part title="Emails">
        <p>
          We email you about your account and your sessions. Emails about your account and your receipts always come;
          the other kinds can be turned off, and every such email has a link to stop it.
        </p>
      </Part>
      <Part title="Cookies">
        <p>One cookie keeps you signed in. There are no advertising or tracking cookies.</p>
      </Part>
      <Part title="The terms">
        <p>
          How the service works, including payments, is in the{' '}
          <Link href="/terms" className="font-medium text-blue-800 underline">
            terms of service
          </Link>
          .
        </p>
      </Part>
    </LegalPage>
  );
}
