import type { ReactNode } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { VersionSignature } from '@/lib/queries/api-types';

type SignatureState = { label: string; tone: BadgeTone };

const STATES: Record<string, SignatureState> = {
  verified: { label: 'Verified', tone: 'success' },
  invalid: { label: 'Invalid signature', tone: 'danger' },
  unknown_key: { label: 'Unknown key', tone: 'warning' },
  revoked: { label: 'Key revoked', tone: 'danger' },
};

const UNSIGNED: SignatureState = { label: 'Unsigned', tone: 'neutral' };

function stateOf(signature: VersionSignature | null): SignatureState {
  if (!signature) return UNSIGNED;
  return STATES[signature.status] ?? { label: signature.status, tone: 'warning' };
}

const FINGERPRINT_SHOWN = 16;

/** "Verified", "Invalid signature", "Unknown key", "Key revoked" or "Unsigned". */
export function SignatureBadge({ signature }: { signature: VersionSignature | null }) {
  const state = stateOf(signature);
  return <Badge tone={state.tone}>{state.label}</Badge>;
}

const FRAME: Record<BadgeTone, string> = {
  neutral: 'border-slate-200 bg-slate-50',
  success: 'border-emerald-200 bg-emerald-50/60',
  warning: 'border-amber-300 bg-amber-50',
  danger: 'border-red-200 bg-red-50',
  info: 'border-indigo-200 bg-indigo-50',
};

/** The version's signature state with who signed it, the key's fingerprint and what the state means. */
export function SignatureSummary({ signature }: { signature: VersionSignature | null }) {
  const state = stateOf(signature);
  return (
    <div className={`rounded-md border px-3 py-2.5 text-sm ${FRAME[state.tone]}`}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="text-xs font-medium text-slate-600">Signature</span>
        <SignatureBadge signature={signature} />
        {signature?.signer && <span className="text-slate-900">signed by {signature.signer}</span>}
        {signature?.fingerprint ? (
          <span className="text-xs text-slate-600">
            Key fingerprint{' '}
            <code title={signature.fingerprint} className="font-mono text-slate-800">
              {signature.fingerprint.slice(0, FINGERPRINT_SHOWN)}…
            </code>
          </span>
        ) : (
          signature?.key_id && (
            <span className="text-xs text-slate-600">
              Key ID <code className="font-mono text-slate-800">{signature.key_id}</code>
            </span>
          )
        )}
      </div>
      <p className="mt-1 text-xs text-slate-700">{explain(signature)}</p>
    </div>
  );
}

function explain(signature: VersionSignature | null): ReactNode {
  if (!signature) return 'This version carries no signature: nothing proves who published it or that it was not altered.';
  switch (signature.status) {
    case 'verified':
      return signature.signer === 'registry'
        ? 'Published from the browser, with a signature made by the registry’s own key that matches the package digest.'
        : 'The signature matches the package digest and a key registered to the publisher.';
    case 'invalid':
      return 'The signature does not match the package digest: the file may have been altered. Do not use it without checking with the publisher.';
    case 'unknown_key':
      return 'Signed with a key that is not registered to the publisher, so the signature cannot be trusted.';
    case 'revoked':
      return 'Signed with a key that has since been revoked: the signature no longer counts as verified.';
    default:
      return 'The registry does not recognise this signature state.';
  }
}
