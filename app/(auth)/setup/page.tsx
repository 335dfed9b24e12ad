import type { Metadata } from 'next';
import { SetupForm } from '@/components/auth/setup-form';

export const metadata: Metadata = { title: 'Set up' };

export default function SetupPage() {
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">Create the first admin</h1>
      <p className="mt-1 text-sm text-slate-600">
        This one-time step works only while the registry has no users. The account you create here holds the{' '}
        <strong className="font-medium text-slate-800">admin</strong> role; add everyone else from Admin → Users.
      </p>
      <SetupForm />
    </>
  );
}
