const PATHS = {
  home: ['M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z'],
  box: ['M21 7.5 12 3 3 7.5v9L12 21l9-4.5z', 'M3 7.5 12 12l9-4.5', 'M12 12v9'],
  upload: ['M12 15V4', 'M7 9l5-5 5 5', 'M4 15v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M4 20h16'],
} as const;

export type IconName = keyof typeof PATHS;

/** A small stroke icon; decorative, so hidden from assistive technology. */
export function Icon({ name, className = 'size-4' }: { name: IconName; className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={className}
    >
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
