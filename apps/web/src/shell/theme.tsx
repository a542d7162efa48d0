import { useState } from 'react';

type ThemeChoice = 'light' | 'dark' | 'auto';
const STORAGE_KEY = 'pyrometer.theme';
const NEXT: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' };
const LABEL: Record<ThemeChoice, string> = { auto: '◐ auto', light: '☀ light', dark: '☾ dark' };

function savedChoice(): ThemeChoice {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'auto';
}

/** Sets `data-theme` on <html> (what styles.css keys its colours on) for a choice. */
function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
}

/** A button cycling auto → light → dark, remembered in localStorage (index.html applies it before the first paint). */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(savedChoice);
  const next = () => {
    const value = NEXT[choice];
    localStorage.setItem(STORAGE_KEY, value);
    applyTheme(value);
    setChoice(value);
    window.dispatchEvent(new Event('pyrometer-theme'));
  };
  return (
    <button type="button" className="theme-toggle" onClick={next} title="Colour theme" aria-label={`Colour theme: ${choice}`}>
      {LABEL[choice]}
    </button>
  );
}
