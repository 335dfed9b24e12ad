import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { template: '%s · ToRSh Package Hub', default: 'ToRSh Package Hub' },
  description: 'Self-hosted registry for .torshpkg ML model packages',
  icons: { icon: { url: '/logo.svg', type: 'image/svg+xml' } },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
